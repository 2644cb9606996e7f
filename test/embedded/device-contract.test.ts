import { describeDeviceContract } from '../support/contractSuite.js';

describeDeviceContract('embedded');
