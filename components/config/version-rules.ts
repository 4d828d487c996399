import type { Problem } from "./problems";
import {
    compareReleases,
    kubernetesRange,
    kubernetesSupport,
    kubernetesSupportProblem,
    minorOf,
    parseContract,
    parseRelease,
} from "./releases";

// The installed Talos and Kubernetes versions are stack config, checked against the project's pins
// (components/versions.ts): a release version, never older than the pin, at most one minor past it. Talos
// upgrades one minor at a time (its upgrade path), and Kubernetes allows control planes one minor apart
// during an upgrade. The Kubernetes version must be one the Talos version runs (releases.ts, Talos'
// compatibility table). The machine-config contract is a setting of its own: a node refuses a contract
// newer than the Talos it runs, and the contract never moves backwards.

/**
 * Problems of one version setting against a baseline, named by `key`: malformed, backwards, or past the
 * next minor. `what` names the software in the message ("Talos", "Kubernetes"); the baseline is the pin,
 * or (`running`) what the stack last rolled out.
 */
export function releaseProblems(
    key: string,
    what: string,
    value: string,
    pinned: string,
    baseline: "pinned" | "running" = "pinned",
): Problem[] {
    const release = parseRelease(value);
    const pin = parseRelease(pinned);
    if (!pin) throw new Error(`the ${baseline} ${what} version ${pinned} is not a release version`);
    if (!release)
        return [
            {
                key,
                message: `${JSON.stringify(value)} is not a release version like ${pinned}`,
                fix: `give a version of the form vMAJOR.MINOR.PATCH, e.g. ${pinned}`,
            },
        ];
    if (compareReleases(release, pin) < 0) {
        const fix =
            baseline === "pinned"
                ? `set ${pinned} or a newer patch or minor release, or remove the key to use the pin`
                : `set ${pinned} or a newer patch or minor release: the cluster already runs ${pinned}`;
        return [{ key, message: `${value} is older than the ${baseline} ${pinned}, and ${what} never moves backwards`, fix }];
    }
    const next = { major: pin.major, minor: pin.minor + 1 };
    if (release.major !== pin.major || release.minor > next.minor) {
        return [
            {
                key,
                message: `${value} skips a minor version past the ${baseline} ${pinned}; ${what} moves one minor at a time`,
                fix: `set a ${minorOf(next)}.x release (or a ${minorOf(pin)}.x patch) first and run \`pulumi up\`, then the next minor`,
            },
        ];
    }
    return [];
}

export interface VersionSettings {
    /** Installed Talos, e.g. v1.13.9. */
    version: string;
    /** Kubernetes, e.g. v1.36.4. */
    kubernetesVersion: string;
    /** The machine-config contract, e.g. v1.13. */
    configContract: string;
}

/** Every problem of the `homelab:talos` version settings against the pins, all at once. */
export function versionProblems(settings: VersionSettings, pins: VersionSettings): Problem[] {
    const problems = [
        ...releaseProblems("homelab:talos.version", "Talos", settings.version, pins.version),
        ...releaseProblems("homelab:talos.kubernetesVersion", "Kubernetes", settings.kubernetesVersion, pins.kubernetesVersion),
    ];
    // The pair is judged once each version passes on its own: a skipped minor says all there is to say.
    if (!problems.length) problems.push(...kubernetesSupportProblems(settings.version, settings.kubernetesVersion));
    const key = "homelab:talos.configContract";
    const contract = parseContract(settings.configContract);
    const pinnedContract = parseContract(pins.configContract);
    const installed = parseRelease(settings.version);
    if (!pinnedContract) throw new Error(`the pinned config contract ${pins.configContract} is not of the form vMAJOR.MINOR`);
    if (!contract) {
        problems.push({
            key,
            message: `${JSON.stringify(settings.configContract)} is not a contract like ${pins.configContract}`,
            fix: `give the Talos minor whose config defaults the nodes use, e.g. ${pins.configContract}`,
        });
    } else if (
        contract.major < pinnedContract.major ||
        (contract.major === pinnedContract.major && contract.minor < pinnedContract.minor)
    ) {
        problems.push({
            key,
            message: `${settings.configContract} is older than the pinned contract ${pins.configContract}, and the contract never moves backwards`,
            fix: `set ${pins.configContract} or remove the key`,
        });
    } else if (
        installed &&
        (contract.major > installed.major || (contract.major === installed.major && contract.minor > installed.minor))
    ) {
        problems.push({
            key,
            message: `${settings.configContract} is newer than the installed Talos ${settings.version}, whose nodes would refuse the config`,
            fix: `keep ${minorOf(installed)} until every node runs ${settings.configContract}; bump it in a later \`pulumi up\``,
        });
    }
    return problems;
}

/**
 * The Kubernetes version against what the Talos version runs (releases.ts), both release versions. The
 * rollout's check holds the versions a stack moves to against the same table.
 */
export function kubernetesSupportProblems(talosVersion: string, kubernetesVersion: string): Problem[] {
    if (!parseRelease(talosVersion) || !parseRelease(kubernetesVersion)) return [];
    const range = kubernetesRange(talosVersion);
    if (range && !kubernetesSupportProblem(talosVersion, kubernetesVersion)) return [];
    const runsIt = Object.keys(kubernetesSupport)
        .filter((minor) => !kubernetesSupportProblem(`v${minor}.0`, kubernetesVersion))
        .map((minor) => `v${minor}.x`);
    const move = runsIt.length
        ? `, or first move homelab:talos.version to a Talos that runs it (${runsIt.join(", ")}) and run \`pulumi up\``
        : "";
    const message = range
        ? `${kubernetesVersion} does not run on Talos ${talosVersion} (homelab:talos.version), which runs Kubernetes ${range.text}`
        : `no Kubernetes support range is known for Talos ${talosVersion} (homelab:talos.version)`;
    return [
        {
            key: "homelab:talos.kubernetesVersion",
            message,
            fix: range
                ? `set a Kubernetes release in ${range.text}${move}`
                : "add its range to kubernetesSupport (components/config/releases.ts) from Talos' pkg/machinery/compatibility",
        },
    ];
}
