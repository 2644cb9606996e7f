import { describePoison } from '../support/poisonSuite.js';

describePoison('services');
