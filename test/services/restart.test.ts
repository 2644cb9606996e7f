import { describeRestartSafety } from '../support/restartSuite.js';

describeRestartSafety('services');
