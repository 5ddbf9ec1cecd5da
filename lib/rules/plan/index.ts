/** The upgrade planner: the whole path to a target minor, hop by hop, with what blocks each. */
export { parseTargetMinor, planUpgrade } from './plan';
export type { PlanOptions } from './plan';
export type * from './types';
