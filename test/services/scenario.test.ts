import { describeScenarios } from '../support/scenarioSuite.js';

describeScenarios('services');
