/** The admin pages that need no module of their own: the environment switch in the band. */
import { wireEnvironmentSwitch } from './dom.js';

wireEnvironmentSwitch();
