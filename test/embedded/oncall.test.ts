import { describeOnCall } from '../support/onCallSuite.js';

describeOnCall('embedded');
