// The one place where tool versions are pinned. A newer upstream release is a
// one-line change here; the installer rebuilds exactly the tools whose pin changed.

/** Build a main package from the module's own source tree, with its own go.mod and go.sum. */
export interface GoModuleBuild {
  kind: 'go-module';
  module: string;
  version: string;
  /** Main packages inside the module, and the name each binary gets in .tools/bin (versionArgs: when it differs from the tool's). */
  binaries: { pkg: string; bin: string; versionArgs?: string[] }[];
  tags?: string[];
  /** -X settings so `version` prints the real release instead of "unreleased". */
  ldflagsX?: Record<string, string>;
  cgo?: boolean;
  /** Directories of the module to keep next to the binary, under share/ (Kyverno's CRDs). */
  shareDirs?: string[];
  /**
   * C programs of the module built with its own Makefile (CRI-O's pinns): dir is
   * copied out of the read-only module cache, `make -C dir` runs there, and
   * output (relative to the copy's root) becomes bin.
   */
  makeBinaries?: { dir: string; output: string; bin: string }[];
}

/**
 * Build from a module kept in this repository (toolchain/<dir>): a small main of
 * our own, or a wrapper module whose go.mod pins a tool that cannot be built
 * from its own module (relative replaces, staging modules) and whose go.sum
 * pins every dependency.
 */
export interface GoLocalBuild {
  kind: 'go-local';
  /** Directory under toolchain/ with go.mod, go.sum and any .go files. */
  dir: string;
  /** The pinned module built (also in that go.mod). */
  module: string;
  version: string;
  /** A package path relative to the dir ("."), or an import path from a dependency. */
  binaries: { pkg: string; bin: string }[];
  ldflagsX?: Record<string, string>;
  /** Single-file C programs of the pinned module's source tree, compiled statically with Debian's gcc. */
  cPrograms?: { source: string; bin: string; defines?: Record<string, string>; versionArgs?: string[] }[];
}

type Recipe = GoModuleBuild | GoLocalBuild;

export interface ToolPin {
  name: string;
  /** Why the project needs it, shown by the installer. */
  purpose: string;
  recipe: Recipe;
  /** Arguments that make the tool print its version, recorded in every report; null when it has none. */
  versionArgs: string[] | null;
}

/** Every executable a pin puts in .tools/bin: Go mains and any C programs of the module. */
export function binariesOf(tool: ToolPin): string[] {
  const extra = tool.recipe.kind === 'go-module' ? (tool.recipe.makeBinaries ?? []).map((c) => c.bin) : (tool.recipe.cPrograms ?? []).map((c) => c.bin);
  return [...tool.recipe.binaries.map((b) => b.bin), ...extra];
}

export const TOOLS: ToolPin[] = [
  {
    name: 'notation',
    purpose: 'Notary Project signing and verification',
    versionArgs: ['version'],
    recipe: {
      kind: 'go-module',
      module: 'github.com/notaryproject/notation',
      version: 'v1.3.2',
      binaries: [{ pkg: './cmd/notation', bin: 'notation' }],
      ldflagsX: {
        'github.com/notaryproject/notation/internal/version.Version': 'v1.3.2',
        'github.com/notaryproject/notation/internal/version.BuildMetadata': '',
      },
    },
  },
  {
    name: 'oras',
    purpose: 'OCI artifact relocation (copy with referrers, OCI layouts)',
    versionArgs: ['version'],
    recipe: {
      kind: 'go-module',
      module: 'oras.land/oras',
      version: 'v1.3.6',
      binaries: [{ pkg: './cmd/oras', bin: 'oras' }],
      ldflagsX: {
        'oras.land/oras/internal/version.Version': '1.3.6',
        'oras.land/oras/internal/version.BuildMetadata': '',
      },
    },
  },
  {
    name: 'crane',
    purpose: 'crane registry serve (as built, without the referrers API) and image tooling',
    versionArgs: ['version'],
    recipe: {
      kind: 'go-module',
      module: 'github.com/google/go-containerregistry',
      version: 'v0.22.1',
      binaries: [{ pkg: './cmd/crane', bin: 'crane' }],
      ldflagsX: { 'github.com/google/go-containerregistry/cmd/crane/cmd.Version': 'v0.22.1' },
    },
  },
  {
    name: 'cosign-v2',
    purpose: 'Sigstore cosign 2.x: external signing with attach, legacy .sig format',
    versionArgs: ['version', '--json'],
    recipe: {
      kind: 'go-module',
      module: 'github.com/sigstore/cosign/v2',
      version: 'v2.6.5',
      binaries: [{ pkg: './cmd/cosign', bin: 'cosign2' }],
      ldflagsX: { 'sigs.k8s.io/release-utils/version.gitVersion': 'v2.6.5' },
    },
  },
  {
    name: 'cosign-v3',
    purpose: 'Sigstore cosign 3.x: native signing, protobuf bundle format',
    versionArgs: ['version', '--json'],
    recipe: {
      kind: 'go-module',
      module: 'github.com/sigstore/cosign/v3',
      version: 'v3.1.3',
      binaries: [{ pkg: './cmd/cosign', bin: 'cosign3' }],
      ldflagsX: { 'sigs.k8s.io/release-utils/version.gitVersion': 'v3.1.3' },
    },
  },
  {
    name: 'etcd',
    purpose: 'etcd for the embedded Kubernetes control plane',
    versionArgs: ['--version'],
    recipe: {
      kind: 'go-local',
      // etcd's server module has relative replaces; toolchain/etcd/go.mod requires it instead.
      dir: 'etcd',
      module: 'go.etcd.io/etcd/server/v3',
      version: 'v3.7.3',
      binaries: [{ pkg: 'go.etcd.io/etcd/server/v3', bin: 'etcd' }],
    },
  },
  {
    name: 'kubernetes',
    purpose: 'kube-apiserver, kubectl, kube-scheduler, kube-controller-manager and the kubelet for the embedded cluster and its nodes',
    versionArgs: ['--version'],
    recipe: {
      kind: 'go-local',
      // k8s.io/kubernetes needs its staging modules at v0.0.0; toolchain/k8s/go.mod replaces each
      // with its published v0.<minor>.<patch> tag.
      dir: 'k8s',
      module: 'k8s.io/kubernetes',
      version: 'v1.37.2',
      binaries: [
        { pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', bin: 'kube-apiserver' },
        { pkg: 'k8s.io/kubernetes/cmd/kubectl', bin: 'kubectl' },
        { pkg: 'k8s.io/kubernetes/cmd/kube-scheduler', bin: 'kube-scheduler' },
        { pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager', bin: 'kube-controller-manager' },
        { pkg: 'k8s.io/kubernetes/cmd/kubelet', bin: 'kubelet' },
      ],
      // The sandbox (pause) image's one binary, from the module's own source: no image is fetched.
      cPrograms: [{ source: 'build/pause/linux/pause.c', bin: 'pause', defines: { VERSION: 'v1.37.2' }, versionArgs: ['-v'] }],
      ldflagsX: {
        'k8s.io/component-base/version.gitVersion': 'v1.37.2',
        'k8s.io/component-base/version.gitMajor': '1',
        'k8s.io/component-base/version.gitMinor': '37',
        'k8s.io/client-go/pkg/version.gitVersion': 'v1.37.2',
        'k8s.io/client-go/pkg/version.gitMajor': '1',
        'k8s.io/client-go/pkg/version.gitMinor': '37',
      },
    },
  },
  {
    name: 'kyverno',
    purpose: 'Kyverno admission controller, run out of cluster against the embedded API server',
    // No version flag: it logs its version at start, and the pin is recorded.
    versionArgs: null,
    recipe: {
      kind: 'go-module',
      module: 'github.com/kyverno/kyverno',
      version: 'v1.19.1',
      binaries: [{ pkg: './cmd/kyverno', bin: 'kyverno' }],
      ldflagsX: { 'github.com/kyverno/kyverno/pkg/version.BuildVersion': 'v1.19.1' },
      shareDirs: ['config/crds'],
    },
  },
  {
    name: 'kind',
    purpose: 'kind clusters for SIGPROOF_ENV=kind (needs a Docker engine)',
    versionArgs: ['version'],
    recipe: {
      kind: 'go-module',
      module: 'sigs.k8s.io/kind',
      version: 'v0.33.0',
      binaries: [{ pkg: '.', bin: 'kind' }],
    },
  },
  {
    name: 'containerd',
    purpose: 'containerd 2.x with the transfer service and its image-verifier plugin',
    versionArgs: ['--version'],
    recipe: {
      kind: 'go-module',
      module: 'github.com/containerd/containerd/v2',
      version: 'v2.4.2',
      // The runc shim lets a scenario start a container from an image in the store.
      binaries: [
        { pkg: './cmd/containerd', bin: 'containerd' },
        { pkg: './cmd/ctr', bin: 'ctr' },
        { pkg: './cmd/containerd-shim-runc-v2', bin: 'containerd-shim-runc-v2', versionArgs: ['-v'] },
      ],
      // The snapshotters that need C libraries or kernel features absent here are left out.
      tags: ['no_btrfs', 'no_devmapper', 'no_zfs'],
      ldflagsX: { 'github.com/containerd/containerd/v2/version.Version': '2.4.2' },
    },
  },
  {
    name: 'crictl',
    purpose: 'CRI client: pulls through CRI-O and containerd the way the kubelet does',
    versionArgs: ['--version'],
    recipe: {
      kind: 'go-module',
      module: 'sigs.k8s.io/cri-tools',
      version: 'v1.37.0',
      binaries: [{ pkg: './cmd/crictl', bin: 'crictl' }],
      ldflagsX: { 'sigs.k8s.io/cri-tools/pkg/version.Version': 'v1.37.0' },
    },
  },
  {
    name: 'cri-o',
    purpose: 'CRI-O, whose containers/image verifies signatures by policy.json at pull',
    versionArgs: ['--version'],
    recipe: {
      kind: 'go-module',
      module: 'github.com/cri-o/cri-o',
      version: 'v1.36.3',
      binaries: [{ pkg: './cmd/crio', bin: 'crio' }],
      // No cgo: the pure-Go openpgp, no ostree, no btrfs (their C libraries are absent).
      tags: ['containers_image_openpgp', 'containers_image_ostree_stub', 'exclude_graphdriver_btrfs'],
      makeBinaries: [{ dir: 'pinns', output: 'bin/pinns', bin: 'pinns' }],
    },
  },
  {
    name: 'cni-plugins',
    purpose: 'CNI plugins for the node: bridge, host-local IPAM and loopback (nothing that needs iptables)',
    // A CNI plugin prints its name and version when run without CNI_COMMAND; the argument is ignored.
    versionArgs: ['version'],
    recipe: {
      kind: 'go-module',
      module: 'github.com/containernetworking/plugins',
      version: 'v1.10.0',
      binaries: [
        { pkg: './plugins/main/bridge', bin: 'cni-bridge' },
        { pkg: './plugins/ipam/host-local', bin: 'cni-host-local' },
        { pkg: './plugins/main/loopback', bin: 'cni-loopback' },
      ],
      ldflagsX: { 'github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion': 'v1.10.0' },
    },
  },
  {
    name: 'actionlint',
    purpose: 'checks the GitHub Actions workflow users copy (.github/workflows/nightly.yml)',
    versionArgs: ['-version'],
    recipe: {
      kind: 'go-module',
      module: 'github.com/rhysd/actionlint',
      version: 'v1.7.12',
      binaries: [{ pkg: './cmd/actionlint', bin: 'actionlint' }],
      ldflagsX: { 'github.com/rhysd/actionlint.version': 'v1.7.12' },
    },
  },
  {
    name: 'ggcr-registry',
    // `crane registry serve` leaves the referrers API off (404); this is the same
    // registry code with registry.WithReferrersSupport(true).
    purpose: 'go-containerregistry registry with the OCI 1.1 referrers API on',
    versionArgs: ['-version'],
    recipe: {
      kind: 'go-local',
      dir: 'ggcr-registry',
      module: 'github.com/google/go-containerregistry',
      version: 'v0.22.1',
      binaries: [{ pkg: '.', bin: 'ggcr-registry' }],
    },
  },
  {
    name: 'timestamp-authority',
    purpose: "Sigstore's RFC 3161 timestamp authority, signing with a key and certificate chain from files",
    versionArgs: ['version', '--json'],
    recipe: {
      kind: 'go-module',
      module: 'github.com/sigstore/timestamp-authority/v2',
      // v2.1.4 and later need Go 1.27.
      version: 'v2.1.3',
      binaries: [{ pkg: './cmd/timestamp-server', bin: 'timestamp-server' }],
      ldflagsX: { 'sigs.k8s.io/release-utils/version.gitVersion': 'v2.1.3' },
    },
  },
];

/** Debian packages the scenarios use, with the file that proves each is installed. */
export const DEBIAN_PACKAGES: { name: string; provides: string; purpose: string }[] = [
  { name: 'docker-registry', provides: '/usr/bin/docker-registry', purpose: 'registry without the referrers API (distribution 2.8)' },
  { name: 'busybox-static', provides: '/bin/busybox', purpose: "the static binary inside the test images, and the HTTP server of the run's CRLs" },
  { name: 'openssl', provides: '/usr/bin/openssl', purpose: 'private PKI and external signers' },
  { name: 'apache2-utils', provides: '/usr/bin/htpasswd', purpose: 'bcrypt password files for the registries that require credentials' },
  { name: 'tar', provides: '/usr/bin/tar', purpose: 'image layers and air-gap archives' },
  { name: 'jq', provides: '/usr/bin/jq', purpose: 'JSON in signer scripts and diagnostics' },
  { name: 'conmon', provides: '/usr/bin/conmon', purpose: "CRI-O's container monitor" },
  { name: 'runc', provides: '/usr/sbin/runc', purpose: 'the OCI runtime of CRI-O and containerd' },
  { name: 'util-linux', provides: '/usr/bin/unshare', purpose: "the node's private mount namespace" },
  { name: 'util-linux', provides: '/usr/bin/nsenter', purpose: "starting the node's processes in that namespace" },
  { name: 'iproute2', provides: '/bin/ip', purpose: "deleting the node's CNI bridge at teardown" },
  { name: 'make', provides: '/usr/bin/make', purpose: "building CRI-O's pinns from its module" },
  { name: 'gcc', provides: '/usr/bin/gcc', purpose: "building CRI-O's pinns and the pause binary from their modules" },
  { name: 'libc6-dev', provides: '/usr/lib/x86_64-linux-gnu/libc.a', purpose: 'pinns and pause are linked statically' },
];
