#!/usr/bin/env node
// Entry point for `npx eksplan`: run the TypeScript CLI through ts-node (transpile only, fast start).
const path = require('path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
const { main } = require('./eksplan.ts');
main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, () => { process.exitCode = 3; });
