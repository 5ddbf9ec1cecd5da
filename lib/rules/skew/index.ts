/** The version-skew half of the catalogue, in the order of the README's rule table. */
import type { Rule } from '../rule';
import { ApiServerVersionSkew } from './api-server-version-skew';
import { ComponentVersionMismatch } from './component-version-mismatch';
import { ControlPlaneVersionSkew } from './control-plane-version-skew';
import { EtcdVersionMismatch } from './etcd-version-mismatch';
import { KubeProxyVersionSkew } from './kube-proxy-version-skew';
import { KubectlVersionSkew } from './kubectl-version-skew';
import { KubeletVersionSkew } from './kubelet-version-skew';
import { NextUpgradeBlocked } from './next-upgrade-blocked';
import { VersionUnparseable } from './version-unparseable';

/** The version-skew half of the catalogue, in the order of the README's rule table. */
export const SKEW_RULES: readonly Rule[] = [
  ApiServerVersionSkew,
  KubeletVersionSkew,
  KubeProxyVersionSkew,
  ControlPlaneVersionSkew,
  KubectlVersionSkew,
  NextUpgradeBlocked,
  ComponentVersionMismatch,
  EtcdVersionMismatch,
  VersionUnparseable,
];
