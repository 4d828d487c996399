// Pure: the one reading of a Talos or Kubernetes version (a release, a tag a node reports, a machine-config
// contract), for the config's validation, the rollout and the tests alike, and the table of which Kubernetes each
// Talos minor runs. A version is `vMAJOR.MINOR.PATCH`: no leading
// zeros (`v1.36.04` would become the image tag `kube-apiserver:v1.36.04`, which no registry has) and at most
// four digits a number (no real release is near; a 20-digit number would not even survive as a JS number).

export interface Release {
    major: number;
    minor: number;
    patch: number;
}

/** `0`, or a number without a leading zero, up to 9999. */
const number = "(0|[1-9]\\d{0,3})";
const releasePattern = new RegExp(`^v${number}\\.${number}\\.${number}$`);
/** What a node reports may be a pre-release of a release: `v1.14.0-beta.1` (semver's pre-release identifiers). */
const tagPattern = new RegExp(`^v${number}\\.${number}\\.${number}(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`);
/** A machine-config contract names a Talos minor: `v1.13`. */
const contractPattern = new RegExp(`^v${number}\\.${number}$`);

/** `v1.13.9` -> {1, 13, 9}; undefined for anything else, pre-releases included (a stack pins releases). */
export function parseRelease(text: string): Release | undefined {
    const m = releasePattern.exec(text);
    return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/** A version a node runs: a release, or a pre-release of one (`v1.13.0-alpha.3` -> {1, 13, 0, "alpha.3"}). */
export function parseVersionTag(text: string): (Release & { prerelease?: string }) | undefined {
    const m = tagPattern.exec(text);
    return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), ...(m[4] ? { prerelease: m[4] } : {}) } : undefined;
}

/** `v1.13` -> {1, 13}: the Talos minor whose config defaults a machine config is generated under. */
export function parseContract(text: string): Pick<Release, "major" | "minor"> | undefined {
    const m = contractPattern.exec(text);
    return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** `v1.13`: a release's minor, as a contract names it. */
export function minorOf(release: Pick<Release, "major" | "minor">): string {
    return `v${release.major}.${release.minor}`;
}

export function compareReleases(a: Release, b: Release): number {
    return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Orders two version tags by their release (a pre-release counts as its release); throws on a non-version. */
export function compareVersions(a: string, b: string): number {
    const [x, y] = [parseVersionTag(a), parseVersionTag(b)];
    if (!x || !y) throw new Error(`not a version: ${!x ? a : b}`);
    return compareReleases(x, y);
}

/** Minor versions from `a` to `b` (b - a) within one major; NaN across majors or for a non-version. */
export function minorDistance(a: string, b: string): number {
    const [x, y] = [parseVersionTag(a), parseVersionTag(b)];
    return x && y && x.major === y.major ? y.minor - x.minor : NaN;
}

/**
 * The Kubernetes versions each Talos minor runs, as Talos' pkg/machinery/compatibility/talos1NN states them
 * (1.12 and 1.13 at v1.13.9; 1.14 from v1.14.0-alpha.1, talos114.go), with its rule: a version is supported
 * from `min` on and below `max` (kubernetes_version.go: `core.Compare(maxK8sVersionCore) >= 0` is "too new").
 * `talosctl upgrade-k8s` refuses anything else (VerifyVersionCompatibility).
 */
export const kubernetesSupport: Readonly<Record<string, { min: string; max: string }>> = {
    "1.12": { min: "v1.30.0", max: "v1.35.99" },
    "1.13": { min: "v1.31.0", max: "v1.36.99" },
    "1.14": { min: "v1.32.0", max: "v1.37.99" },
};

/** The Kubernetes range a Talos version runs (`v1.31.0` to `v1.36.x`), or undefined for an unknown minor. */
export function kubernetesRange(talos: string): { min: string; max: string; text: string } | undefined {
    const v = parseVersionTag(talos);
    const range = v && kubernetesSupport[`${v.major}.${v.minor}`];
    return range && { ...range, text: `${range.min} to ${range.max.replace(/\.99$/, ".x")}` };
}

/** Why Talos `talos` cannot run Kubernetes `kubernetes`, or undefined when it can. */
export function kubernetesSupportProblem(talos: string, kubernetes: string): string | undefined {
    const range = kubernetesRange(talos);
    if (!range)
        return `no known Kubernetes support range for Talos ${talos}: add it to kubernetesSupport (components/config/releases.ts) from Talos' compatibility package`;
    if (compareVersions(kubernetes, range.min) < 0 || compareVersions(kubernetes, range.max) >= 0)
        return `Talos ${talos} supports Kubernetes ${range.text}, not ${kubernetes}`;
    return undefined;
}
