import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";

// Builds upstream's own programs (tools/upstream/<name>: Go modules pinned in their go.mod/go.sum) into
// tools/upstream/bin, which git ignores. A stamp beside each binary holds the hash of its sources and the Go
// version: a warm run compares hashes and starts no compiler at all. Builds run one at a time, niced, since
// the machine is shared; Go's own caches (GOCACHE, GOMODCACHE) make a rebuild after an edit incremental.

export const upstreamRoot = path.resolve(__dirname);
export const binDir = path.join(upstreamRoot, "bin");

export type Judge = "talos" | "helm" | "kube-apiserver";
export const judges: readonly Judge[] = ["talos", "helm", "kube-apiserver"];

function goVersion(): string {
    const result = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8", timeout: 60_000 });
    if (result.status !== 0) throw new Error(`go is not installed or does not run: ${result.stderr || result.error}`);
    return result.stdout.trim();
}

/** The hash of a module's sources: go.mod, go.sum and every .go file, by name and content. */
export function sourceHash(moduleDir: string, go: string): string {
    const hash = createHash("sha256").update(go);
    const files = fs
        .readdirSync(moduleDir)
        .filter((f) => f === "go.mod" || f === "go.sum" || f.endsWith(".go"))
        .sort();
    for (const f of files)
        hash.update(f)
            .update("\0")
            .update(fs.readFileSync(path.join(moduleDir, f)))
            .update("\0");
    return hash.digest("hex");
}

export interface BuildResult {
    judge: Judge;
    binary: string;
    /** Whether the compiler ran (false: the stamp matched). */
    built: boolean;
    ms: number;
}

/** Builds one judge when its sources changed; a build is bounded (30 minutes, for a cold kube-apiserver). */
export function buildJudge(judge: Judge, log: (line: string) => void = () => undefined): BuildResult {
    const start = performance.now();
    const moduleDir = path.join(upstreamRoot, judge);
    const binary = path.join(binDir, judge);
    const stamp = `${binary}.stamp`;
    const hash = sourceHash(moduleDir, goVersion());
    if (fs.existsSync(binary) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash) {
        return { judge, binary, built: false, ms: performance.now() - start };
    }
    fs.mkdirSync(binDir, { recursive: true });
    log(`upstream: building ${judge} (go build, niced; a cold kube-apiserver takes many minutes)`);
    const result = spawnSync("nice", ["-n", "10", "go", "build", "-o", binary, "."], {
        cwd: moduleDir,
        encoding: "utf8",
        timeout: 30 * 60_000,
        // -mod=readonly: go.sum is committed; a build never rewrites it.
        env: { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=readonly`.trim() },
        maxBuffer: 16 << 20,
    });
    if (result.status !== 0) {
        throw new Error(`building ${judge} failed${result.error ? ` (${result.error.message})` : ""}:\n${result.stderr}`);
    }
    fs.writeFileSync(stamp, hash);
    return { judge, binary, built: true, ms: performance.now() - start };
}

/** Every judge, one build at a time. */
export function buildJudges(log?: (line: string) => void): BuildResult[] {
    return judges.map((j) => buildJudge(j, log));
}
