import { describeOnCall } from '../support/onCallSuite.js';

describeOnCall('services');
