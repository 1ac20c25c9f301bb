// The scenarios `make e2e` runs, in this order; numbered as in issue 9. Adding one: a file
// beside this one exporting {id, title, run(t)} (see 1-personal-help.js) and one line here.
'use strict';

module.exports = [
  require('./1-personal-help'),
  require('./2-glossary'),
  require('./3-needs-report'),
  require('./4-reminders'),
  require('./5-channel-mention'),
  require('./6-coordinator'),
  require('./7-wheel-picture'),
  require('./8-network'),
  require('./9-teams-polish'),
];
