// Pure edits of a node's machine configuration, as `talosctl upgrade-k8s` (v1.13.9,
// pkg/cluster/kubernetes/talos_managed.go and kubelet.go) makes them: it reads the active config, sets one
// component's image to the target version, and applies the whole config back with mode NO_REBOOT. The
// other documents of a multi-document config are left byte for byte.
import * as YAML from "yaml";
import { ControlPlaneComponent } from "./steps";

export type KubernetesComponent = ControlPlaneComponent | "kubelet";

/** Where each image sits in the v1alpha1 document, and Talos 1.13.9's image repositories (constants.go). */
const images: Record<KubernetesComponent, { path: string[]; repository: string }> = {
    "kube-apiserver": { path: ["cluster", "apiServer", "image"], repository: "registry.k8s.io/kube-apiserver" },
    "kube-controller-manager": { path: ["cluster", "controllerManager", "image"], repository: "registry.k8s.io/kube-controller-manager" },
    "kube-scheduler": { path: ["cluster", "scheduler", "image"], repository: "registry.k8s.io/kube-scheduler" },
    kubelet: { path: ["machine", "kubelet", "image"], repository: "ghcr.io/siderolabs/kubelet" },
};

function parse(yaml: string) {
    const documents = YAML.parseAllDocuments(yaml);
    const errors = documents.flatMap((d) => d.errors);
    if (errors.length) throw new Error(`the machine configuration is not YAML: ${errors[0].message}`);
    // The v1alpha1 document is the one with `version: v1alpha1` and no `kind` (the others are typed documents).
    const main = documents.find((d) => d.get("version") === "v1alpha1" && d.get("kind") === undefined);
    if (!main) throw new Error("the machine configuration has no v1alpha1 document");
    return { documents, main };
}

/** The tag of an image reference, without a digest: `registry.k8s.io/kube-apiserver:v1.36.4@sha256:..` -> `v1.36.4`. */
function tagOf(image: string): string {
    const withoutDigest = image.split("@")[0];
    const slash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.lastIndexOf(":");
    return colon > slash ? withoutDigest.slice(colon + 1) : "";
}

/** The Kubernetes version each component's image in the config is tagged with; "" when no image is set. */
export function configuredVersions(yaml: string, role: "controlplane" | "worker"): Partial<Record<KubernetesComponent, string>> {
    const { main } = parse(yaml);
    const versions: Partial<Record<KubernetesComponent, string>> = {};
    for (const [component, { path }] of Object.entries(images) as [KubernetesComponent, (typeof images)[KubernetesComponent]][]) {
        if (role === "worker" && component !== "kubelet") continue;
        const image = main.getIn(path);
        // The kubelet image may carry a -fat/-slim flavour suffix; the version is what precedes it.
        versions[component] = typeof image === "string" ? tagOf(image).replace(/-(fat|slim)$/, "") : "";
    }
    return versions;
}

/** `machine.install.image`: the installer the node was last installed or upgraded from, through our flow. */
export function configuredInstaller(yaml: string): string | undefined {
    const image = parse(yaml).main.getIn(["machine", "install", "image"]);
    return typeof image === "string" ? image : undefined;
}

/** The config with `machine.install.image` set, or `changed: false` when it already is. */
export function withInstaller(yaml: string, image: string): { yaml: string; changed: boolean } {
    const { documents, main } = parse(yaml);
    if (main.getIn(["machine", "install", "image"]) === image) return { yaml, changed: false };
    main.setIn(["machine", "install", "image"], image);
    return { yaml: documents.map((d) => d.toString({ lineWidth: 0 })).join(""), changed: true };
}

/** `registry.k8s.io/kube-apiserver:v1.37.0`: a component's image in Talos' repository, at this tag. */
export function componentImage(component: KubernetesComponent, tag: string): string {
    return `${images[component].repository}:${tag}`;
}

/** The kubelet image's flavour suffix (`-fat`, `-slim`), which upgrade-k8s keeps (extractKubeletVersionSuffix). */
export function kubeletSuffix(yaml: string): string {
    const current = parse(yaml).main.getIn(images.kubelet.path);
    return typeof current === "string" ? (/-(fat|slim)$/.exec(current.split("@")[0])?.[0] ?? "") : "";
}

/** The config with `component`'s image set to `version`, or `changed: false` when it already is. */
export function withComponentVersion(
    yaml: string,
    component: KubernetesComponent,
    version: string,
): { yaml: string; changed: boolean; image: string } {
    const { documents, main } = parse(yaml);
    const { path } = images[component];
    const current = main.getIn(path);
    const image = componentImage(component, `${version}${component === "kubelet" ? kubeletSuffix(yaml) : ""}`);
    if (current === image) return { yaml, changed: false, image };
    main.setIn(path, image);
    return { yaml: documents.map((d) => d.toString({ lineWidth: 0 })).join(""), changed: true, image };
}
