/**
 * metadata.managedFields, the server-side field ownership the API server sends with every object
 * (kubectl hides it, so kubectl files lack it). It is most of an object's size on the wire, so
 * whatever reads the test API server at realistic sizes wants it.
 */
import type { JsonObject } from './documents';

/** When the field managers last wrote: the object's creation, the controllers, the kubelet. */
export interface ManagedTimes {
  readonly created: string;
  readonly updated: string;
  readonly heartbeat: string;
}

/**
 * A function that adds managedFields to an object by its kind (Node, Pod or a workload). The
 * entries are built once and shared by every object of a kind: the wire size is real while a
 * server holding 150,000 pods stays small.
 */
export function managedFieldsAdder(times: ManagedTimes): (object: JsonObject) => JsonObject {
  const { created: CREATED, updated: UPDATED, heartbeat: HEARTBEAT } = times;
  const NODE_RESOURCES = fields(
    'cpu',
    'ephemeral-storage',
    'hugepages-1Gi',
    'hugepages-2Mi',
    'memory',
    'pods',
  );
  const NODE_MANAGED_FIELDS: readonly JsonObject[] = [
    managed('kubelet', 'v1', HEARTBEAT, {
      'f:metadata': {
        'f:annotations': { '.': {}, ...fields('alpha.kubernetes.io/provided-node-ip') },
        'f:labels': {
          '.': {},
          ...fields(
            'beta.kubernetes.io/arch',
            'beta.kubernetes.io/instance-type',
            'beta.kubernetes.io/os',
            'failure-domain.beta.kubernetes.io/region',
            'failure-domain.beta.kubernetes.io/zone',
            'kubernetes.io/arch',
            'kubernetes.io/hostname',
            'kubernetes.io/os',
            'node.kubernetes.io/instance-type',
            'topology.kubernetes.io/region',
            'topology.kubernetes.io/zone',
          ),
        },
      },
      'f:spec': fields('providerID'),
      'f:status': {
        'f:addresses': {
          '.': {},
          'k:{"type":"Hostname"}': { '.': {}, ...fields('address', 'type') },
          'k:{"type":"InternalDNS"}': { '.': {}, ...fields('address', 'type') },
          'k:{"type":"InternalIP"}': { '.': {}, ...fields('address', 'type') },
        },
        'f:allocatable': NODE_RESOURCES,
        'f:capacity': NODE_RESOURCES,
        'f:conditions': conditionFields(...NODE_CONDITIONS),
        'f:daemonEndpoints': { 'f:kubeletEndpoint': fields('Port') },
        'f:images': {},
        'f:nodeInfo': fields(
          'architecture',
          'bootID',
          'containerRuntimeVersion',
          'kernelVersion',
          'kubeProxyVersion',
          'kubeletVersion',
          'machineID',
          'operatingSystem',
          'osImage',
          'systemUUID',
        ),
      },
    }),
    managed('kube-controller-manager', 'v1', UPDATED, {
      'f:metadata': { 'f:annotations': fields('node.alpha.kubernetes.io/ttl') },
    }),
    managed('aws-cloud-controller-manager', 'v1', CREATED, {
      'f:metadata': { 'f:labels': fields('k8s.io/cloud-provider-aws', 'topology.k8s.aws/zone-id') },
    }),
  ];

  const POD_MANAGED_FIELDS: readonly JsonObject[] = [
    managed('kube-controller-manager', 'v1', UPDATED, {
      'f:metadata': {
        'f:generateName': {},
        'f:labels': { '.': {}, ...fields('app', 'pod-template-hash') },
        'f:ownerReferences': { '.': {}, 'k:{"uid":"…"}': {} },
      },
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': {
            ...appContainerFields(),
            'f:ports': {
              '.': {},
              'k:{"containerPort":8080,"protocol":"TCP"}': {
                '.': {},
                ...fields('containerPort', 'name', 'protocol'),
              },
            },
            'f:readinessProbe': {
              '.': {},
              'f:httpGet': { '.': {}, ...fields('path', 'port', 'scheme') },
              ...fields('periodSeconds', 'timeoutSeconds'),
            },
          },
        },
        ...fields(
          'dnsPolicy',
          'enableServiceLinks',
          'restartPolicy',
          'schedulerName',
          'securityContext',
          'serviceAccount',
          'serviceAccountName',
          'terminationGracePeriodSeconds',
        ),
      },
    }),
    managed('kubelet', 'v1', UPDATED, {
      'f:status': {
        'f:conditions': conditionFields(
          'ContainersReady',
          'Initialized',
          'PodReadyToStartContainers',
          'PodScheduled',
          'Ready',
        ),
        ...fields(
          'containerStatuses',
          'hostIP',
          'hostIPs',
          'phase',
          'podIP',
          'podIPs',
          'startTime',
        ),
      },
    }),
  ];

  function workloadManagedFields(kind: string): readonly JsonObject[] {
    return [
      managed('helm', 'apps/v1', CREATED, {
        'f:metadata': {
          'f:annotations': {
            '.': {},
            ...fields('meta.helm.sh/release-name', 'meta.helm.sh/release-namespace'),
          },
          'f:labels': {
            '.': {},
            ...fields('app', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of'),
          },
        },
        'f:spec': {
          ...fields('progressDeadlineSeconds', 'replicas', 'revisionHistoryLimit', 'selector'),
          'f:strategy': {
            'f:rollingUpdate': { '.': {}, ...fields('maxSurge', 'maxUnavailable') },
            'f:type': {},
          },
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, ...fields('app') } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"app"}': appContainerFields('terminationMessagePolicy'),
              },
              ...fields(
                'dnsPolicy',
                'restartPolicy',
                'schedulerName',
                'securityContext',
                'terminationGracePeriodSeconds',
              ),
            },
          },
        },
      }),
      managed('kube-controller-manager', 'apps/v1', UPDATED, {
        'f:metadata': {
          'f:annotations': { '.': {}, ...fields('deployment.kubernetes.io/revision') },
        },
        'f:status': {
          'f:conditions': conditionFields('Available', 'Progressing'),
          ...fields(
            'availableReplicas',
            'observedGeneration',
            'readyReplicas',
            'replicas',
            'updatedReplicas',
          ),
        },
        ...(kind === 'Deployment' ? {} : { subresource: 'status' }),
      }),
    ];
  }
  const MANAGED_BY_KIND = new Map(
    ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map((k) => [
      k,
      workloadManagedFields(k),
    ]),
  );
  const byKind = new Map<string, readonly JsonObject[]>([
    ['Node', NODE_MANAGED_FIELDS],
    ['Pod', POD_MANAGED_FIELDS],
    ...MANAGED_BY_KIND,
  ]);
  return (object) => {
    const entries = byKind.get(String(object['kind']));
    if (!entries) return object;
    const metadata = object['metadata'] as JsonObject;
    // Shared, never copied: nothing writes to a built object.
    return { ...object, metadata: { ...metadata, managedFields: entries as JsonObject[] } };
  };
}

/** A managedFields entry (what `kubectl get -o json` prints for server-side field tracking). */
function managed(
  manager: string,
  apiVersion: string,
  time: string,
  fieldsV1: JsonObject,
): JsonObject {
  return {
    manager,
    operation: 'Update',
    apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1,
    ...(manager === 'kubelet' ? { subresource: 'status' } : {}),
  };
}

/** `{ "f:a": {}, "f:b": {} }` for a list of field names. */
function fields(...names: string[]): JsonObject {
  return Object.fromEntries(names.map((n) => [`f:${n}`, {}]));
}

/** A manager's fields of the `app` container: image, env and resources, and `extra` ones. */
function appContainerFields(...extra: string[]): JsonObject {
  return {
    '.': {},
    ...fields('image', 'imagePullPolicy', 'name', 'terminationMessagePath', ...extra),
    'f:env': { '.': {}, 'k:{"name":"LOG_LEVEL"}': { '.': {}, ...fields('name', 'value') } },
    'f:resources': {
      '.': {},
      'f:limits': { '.': {}, ...fields('cpu', 'memory') },
      'f:requests': { '.': {}, ...fields('cpu', 'memory') },
    },
  };
}

function conditionFields(...types: string[]): JsonObject {
  return Object.fromEntries(
    types.map((t) => [
      `k:{"type":"${t}"}`,
      {
        '.': {},
        ...fields('lastHeartbeatTime', 'lastTransitionTime', 'message', 'reason', 'status', 'type'),
      },
    ]),
  );
}

const NODE_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];
