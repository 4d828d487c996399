// Every pinned version the cluster is built from, each written once. Charts and images are the
// releases whose schemas sit in ../shared/reference, so the tests check what is actually deployed.

export const talos = {
    /** Talos Linux; the config schema in reference/talos/v1.13.9 is this release's. */
    version: "v1.13.9",
    /**
     * The machine-config contract: the Talos minor whose config defaults every node's generated config
     * uses (getConfiguration's talosVersion). Moved on purpose, once every node runs that minor.
     */
    configContract: "v1.13",
    /** Image factory: schematics, disk images and installer images. */
    factoryUrl: "https://factory.talos.dev",
    /** Local SDK of the Pulumiverse provider (sdks/talos), bridged from terraform-provider-talos v0.11.0. */
    provider: { version: "0.8.1", pluginDownloadURL: "github://api.github.com/pulumiverse" },
} as const;

/** Kubernetes as installed by Talos (kubelet and control-plane images). */
export const kubernetes = { version: "v1.36.4" } as const;

/**
 * 1.20.1 for the DSR fixes backported to v1.20 (cilium/cilium#47881, with #47529: a TCP connection moved to a new
 * backend gets its RST and recovers at once instead of stalling until it times out). Its chart is not in
 * ../shared/reference: a patch release keeps the 1.20.0 values schema the tests check the values against
 * (reference/cilium/chart-1.20.0).
 */
export const cilium = { chart: "cilium", version: "1.20.1", repo: "https://helm.cilium.io" } as const;

export const certManager = { chart: "cert-manager", version: "v1.21.1", repo: "https://charts.jetstack.io" } as const;

/**
 * Envoy Gateway's controller chart and its CRDs-only chart (the Gateway API CRDs v1.6.1 and Envoy Gateway's own),
 * released together under one version.
 */
export const envoyGateway = {
    chart: "oci://docker.io/envoyproxy/gateway-helm",
    crdsChart: "oci://docker.io/envoyproxy/gateway-crds-helm",
    version: "v1.9.0",
} as const;

/**
 * The maintained k8s_gateway fork. Chart 3.7.2 says appVersion 1.8.0, but its values.yaml pins `image.tag: 1.7.0`
 * and its Deployment uses that tag, so k8s_gateway 1.7.0 is what runs.
 */
export const k8sGateway = { chart: "oci://ghcr.io/k8s-gateway/charts/k8s-gateway", version: "3.7.2" } as const;

export const cloudflared = { image: "docker.io/cloudflare/cloudflared:2026.8.2" } as const;
