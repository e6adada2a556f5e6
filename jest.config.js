// Unit specs sit beside the code; end-to-end specs under test/ drive real services through Kafka and HTTP.
const swc = ['@swc/jest', { swcrc: true }];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/deploy', '<rootDir>/sdk'],
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/sdk/[^/]+/dist/'],
      transform: { '^.+\\.ts$': swc },
      // The SDK's ESM sources import siblings as './x.js'; in Jest those are the .ts files.
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    },
    {
      displayName: 'e2e',
      testEnvironment: '<rootDir>/test/support/e2e-environment.js',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': swc },
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-setup.ts'],
    },
  ],
};
