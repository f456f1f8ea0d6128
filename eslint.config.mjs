// ESLint flat config: typescript-eslint recommended rules, plus the layering rules of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const cdkPackages = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk8s', 'cdk8s-plus-28', '@aws-cdk/*'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', 'dist/**', 'coverage/**', '**/*.js', '**/*.d.ts', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // simulation/ reads synthesized output only: never CDK, cdk8s, lib/ or constructs/.
    files: ['simulation/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: cdkPackages, message: 'simulation/ must not import CDK or cdk8s: it reads synthesized output only.' },
          { group: ['**/lib/*', '**/constructs/*', '../../lib', '../../constructs'], message: 'simulation/ must not import lib/ or constructs/.' },
        ],
      }],
    },
  },
  {
    // simulation/model and simulation/catalog are pure data shared with constructs/: no I/O, no other layers.
    files: ['simulation/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*', '!../model', 'fs', 'node:*', 'path', ...cdkPackages], message: 'simulation/model imports nothing.' }],
      }],
    },
  },
  {
    // constructs/ may use simulation/catalog and simulation/model (shared facts), nothing else of ours but themselves.
    files: ['constructs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/lib/*', '../../lib'], message: 'constructs/ must not import lib/.' },
          { group: ['**/simulation/*', '!**/simulation/catalog', '!**/simulation/catalog/*', '!**/simulation/model', '!**/simulation/model/*'], message: 'constructs/ may only import simulation/catalog and simulation/model.' },
        ],
      }],
    },
  },
);
