// Jest's node environment, plus a flag the harness reads in afterAll: when any test or hook of the
// file failed, the Kafka cluster keeps its broker logs under test-results/kafka/.
const { TestEnvironment } = require('jest-environment-node');

class HeraldE2eEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
      this.global.__heraldTestFailed = true;
    }
  }
}

module.exports = HeraldE2eEnvironment;
