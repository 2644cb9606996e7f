import { describeRulesOnIngest } from '../support/rulesSuite.js';

describeRulesOnIngest('services');
