/** The drift half of the catalogue: the live cluster against the manifests it was applied from. */
import type { Rule } from '../rule';
import { ConfigDrift } from './config-drift';

/** The drift rules, in the order of the README's rule table. */
export const DRIFT_RULES: readonly Rule[] = [ConfigDrift];
