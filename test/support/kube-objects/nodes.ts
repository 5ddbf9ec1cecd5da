/**
 * Nodes of EKS managed node groups as the API server stores them: the labels EKS and the cloud
 * provider put on them, capacity and allocatable as the EKS AMIs reserve it, the kubelet's
 * conditions and heartbeat, and the images it reports.
 */
import { imageId, qualifiedImage } from './containers';
import type { Cluster, JsonObject } from './documents';
import { at, resourceVersion, sha256, uid } from './ids';

/** The node image's operating system and runtime, as status.nodeInfo reports them. */
export interface OsImage {
  readonly osImage: string;
  readonly kernelVersion: string;
  readonly containerRuntimeVersion: string;
  /** AL2023 nodes run the external AWS cloud provider, which records the node IP it was given. */
  readonly providedNodeIpAnnotation: boolean;
  readonly ephemeralStorageKi: number;
}

/** An EKS-optimized Amazon Linux 2023 node image of late 2024. */
export const AL2023_NODE: OsImage = {
  osImage: 'Amazon Linux 2023.6.20241031',
  kernelVersion: '6.1.112-122.189.amzn2023.x86_64',
  containerRuntimeVersion: 'containerd://1.7.22',
  providedNodeIpAnnotation: true,
  ephemeralStorageKi: 104_845_292,
};

/** An EC2 instance type as the kubelet sees it. */
export interface InstanceType {
  readonly name: string;
  readonly cpu: number;
  readonly memoryKi: number;
  /** The VPC CNI's limit: ENIs × (IPs per ENI − 1) + 2. */
  readonly maxPods: number;
}

/** One node of a managed node group. */
export interface NodePlan {
  readonly name: string;
  readonly ip: string;
  readonly zone: string;
  /** The AWS zone id of `zone` (`euw1-az3`): account-independent, unlike the zone name. */
  readonly zoneId: string;
  readonly nodeGroup: string;
  readonly ami: string;
  readonly kubeletVersion: string;
  readonly os: OsImage;
  readonly instanceType: InstanceType;
  /** When the node registered. */
  readonly created: string;
  readonly instanceId: string;
  /** Labels and annotations beyond what every managed node has (CSI drivers add their own). */
  readonly extraLabels?: Readonly<Record<string, string>>;
  readonly extraAnnotations?: Readonly<Record<string, string>>;
}

/** An image in the node's cache, by the reference pods name it with. */
export interface NodeImage {
  readonly image: string;
  readonly sizeBytes: number;
}

/** status.nodeInfo: what the kubelet reports about its node. */
export function nodeInfo(name: string, kubeletVersion: string, os: OsImage): JsonObject {
  return {
    architecture: 'amd64',
    bootID: uid(`boot:${name}`),
    containerRuntimeVersion: os.containerRuntimeVersion,
    kernelVersion: os.kernelVersion,
    // Deprecated: the kubelet copies its own version here; it says nothing about kube-proxy.
    kubeProxyVersion: kubeletVersion,
    kubeletVersion,
    machineID: sha256(`machine:${name}`).slice(0, 32),
    operatingSystem: 'linux',
    osImage: os.osImage,
    systemUUID: `ec2${uid(`system:${name}`).slice(3)}`,
  };
}

/** A ready node: the kubelet posted its status a few minutes before `cluster.collectedAt` at most. */
export function nodeObject(
  n: NodePlan,
  images: readonly NodeImage[],
  cluster: Cluster,
): JsonObject {
  const type = n.instanceType;
  // EKS reserves 11 MiB per pod + 255 MiB for the kubelet and 100 MiB as eviction threshold.
  const reservedKi = (11 * type.maxPods + 255 + 100) * 1024;
  // …and 6% of the first core, 1% of the second, 0.5% of each further core.
  const reservedMilliCpu = 60 + 10 + Math.max(0, type.cpu - 2) * 5;
  const storageBytes = n.os.ephemeralStorageKi * 1024;
  const heartbeat = at(
    cluster.collectedAt,
    -(20 + (parseInt(sha256(`hb:${n.name}`).slice(0, 4), 16) % 270)),
  );
  const ready = at(n.created, 41);
  const condition = (
    conditionType: string,
    status: string,
    reason: string,
    message: string,
  ): JsonObject => ({
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: conditionType === 'Ready' ? ready : at(n.created, 19),
    message,
    reason,
    status,
    type: conditionType,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      annotations: {
        ...(n.os.providedNodeIpAnnotation ? { 'alpha.kubernetes.io/provided-node-ip': n.ip } : {}),
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...n.extraAnnotations,
      },
      creationTimestamp: n.created,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': type.name,
        'beta.kubernetes.io/os': 'linux',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'eks.amazonaws.com/nodegroup': n.nodeGroup,
        'eks.amazonaws.com/nodegroup-image': n.ami,
        'failure-domain.beta.kubernetes.io/region': cluster.region,
        'failure-domain.beta.kubernetes.io/zone': n.zone,
        'k8s.io/cloud-provider-aws': sha256(`cluster:${cluster.name}`).slice(0, 32),
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': type.name,
        'topology.k8s.aws/zone-id': n.zoneId,
        'topology.kubernetes.io/region': cluster.region,
        'topology.kubernetes.io/zone': n.zone,
        ...n.extraLabels,
      },
      name: n.name,
      resourceVersion: resourceVersion(heartbeat, n.name),
      uid: uid(`node:${n.name}`),
    },
    spec: { providerID: `aws:///${n.zone}/${n.instanceId}` },
    status: {
      addresses: [
        { address: n.ip, type: 'InternalIP' },
        { address: n.name, type: 'InternalDNS' },
        { address: n.name, type: 'Hostname' },
      ],
      allocatable: {
        cpu: `${type.cpu * 1000 - reservedMilliCpu}m`,
        'ephemeral-storage': String(Math.floor(storageBytes * 0.9) - 1024 ** 3),
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${type.memoryKi - reservedKi}Ki`,
        pods: String(type.maxPods),
      },
      capacity: {
        cpu: String(type.cpu),
        'ephemeral-storage': `${n.os.ephemeralStorageKi}Ki`,
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${type.memoryKi}Ki`,
        pods: String(type.maxPods),
      },
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition(
          'DiskPressure',
          'False',
          'KubeletHasNoDiskPressure',
          'kubelet has no disk pressure',
        ),
        condition(
          'PIDPressure',
          'False',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
        ),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      // The kubelet lists cached images largest first.
      images: [...images]
        .sort((a, b) => b.sizeBytes - a.sizeBytes)
        .map(({ image, sizeBytes }) => ({
          names: [imageId(image), qualifiedImage(image)],
          sizeBytes,
        })),
      nodeInfo: nodeInfo(n.name, n.kubeletVersion, n.os),
    },
  };
}
