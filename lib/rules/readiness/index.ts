/** The upgrade-readiness part of the catalogue: support deadlines, deprecated APIs, EKS add-ons, node OS. */
import type { Rule } from '../rule';
import { AddonIncompatible } from './addon-incompatible';
import { DeprecatedApiInUse } from './deprecated-api-in-use';
import { NodeOsEndOfLife } from './node-os-end-of-life';
import { VersionEndOfSupport } from './version-end-of-support';

/** The readiness rules, in the order of the README's rule table. */
export const READINESS_RULES: readonly Rule[] = [
  VersionEndOfSupport,
  DeprecatedApiInUse,
  AddonIncompatible,
  NodeOsEndOfLife,
];
