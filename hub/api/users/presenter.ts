export { describeUser as presentUser } from '../../commands/user-manager.js';
