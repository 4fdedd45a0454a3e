export { taskFromMessage, type WorkforceTask } from './task.js';
export { slackMessage } from './slack.js';
export { teamsMessage } from './teams.js';
