import { runCli } from './program';

// Exits explicitly: a Kafka or Postgres client may keep the event loop alive after the command is done.
runCli(process.argv, __dirname).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`herald: ${String(error)}\n`);
    process.exit(1);
  },
);
