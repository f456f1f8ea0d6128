// Jest global teardown: removes the run's temporary directory (see tmpdir-setup.js).
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.EKSPLAN_JEST_TMPDIR;
  if (dir && /eksplan-jest-[^/]+$/.test(dir)) fs.rmSync(dir, { recursive: true, force: true });
};
