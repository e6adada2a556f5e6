// End-to-end tests start real processes, brokers and databases; each hook and test gets minutes.
jest.setTimeout(120_000);
