// Jest global setup: every test run gets its own temporary directory, and TMPDIR points at it before the
// workers start (they inherit the environment). CDK Apps without an outdir synthesize into os.tmpdir() and
// only clean up when their process exits normally, which killed jest workers never do: without this, each
// run leaves about 80 cdk.out folders (2.7 GB) behind.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-jest-'));
  process.env.EKSPLAN_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
