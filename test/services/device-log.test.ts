import { describeDeviceLog } from '../support/deviceLogSuite.js';

describeDeviceLog('services');
