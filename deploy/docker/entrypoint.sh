#!/bin/sh
# Maps the first argument to a Herald entry point, so one image runs every service:
#   herald api | router | dispatcher | scheduler | projector   one service
#   herald all                                                  all-in-one (HERALD_SERVICES picks)
#   herald migrate | create-topics | rekey | rebuild-projections | maintain-log  one-shot commands, then exit
# Anything else is run as given (e.g. `sh`, `node -e ...`) for debugging.
set -eu

APP_DIR="${HERALD_APP_DIR:-/app}"
command="${1:-all}"
[ "$#" -gt 0 ] && shift

case "$command" in
  api | router | dispatcher | scheduler | projector)
    exec node "$APP_DIR/dist/apps/$command/src/main.js" "$@"
    ;;
  all | herald)
    exec node "$APP_DIR/dist/apps/herald/src/main.js" "$@"
    ;;
  create-topics)
    # Exactly the topics in HERALD_TOPIC_SPECS (JSON, as the Helm chart passes it) when set,
    # otherwise every Herald topic with built-in settings.
    exec node "$APP_DIR/dist/apps/herald/src/main.js" create-topics "$@"
    ;;
  migrate)
    exec node "$APP_DIR/dist/apps/herald/src/main.js" migrate "$@"
    ;;
  rekey | rebuild-projections | maintain-log)
    exec node "$APP_DIR/dist/apps/herald/src/main.js" "$command" "$@"
    ;;
  help | --help | -h)
    sed -n '2,6p' "$0"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
