// `ignoreChanges` as the Pulumi engine applies it (checked against @pulumi/pulumi 3.248.0's engine:
// pkg/resource/deploy/step_generator.go processIgnoreChanges, sdk/go/common/resource/properties_path.go
// Reset). For each path the old value is written over the new one; a path that cannot be followed in both
// (a parent that is not an object or array on one side, e.g. an unknown, or an element added or removed)
// is not applied, and the engine keeps the new value. So `disks[0].fileId` is ignored only while
// `disks[0]` is a known object: if the whole disk is unknown in a preview, the unknown stays, and a
// provider that replaces on `fileId` plans a replacement. Values are the offline engine's plain JSON,
// unknowns the string "<unknown>".

export type PathPart = string | number;

/**
 * `disks[0].fileId` -> ["disks", 0, "fileId"]; `metadata.labels["app.kubernetes.io/name"]` -> [..., "app.kubernetes.io/name"];
 * `*` and `[*]` match every key or element. Throws on a path the engine would not parse.
 */
export function parsePropertyPath(path: string): PathPart[] {
    const parts: PathPart[] = [];
    // As the engine reads it: a bare name runs to the next `.` or `[`.
    const pattern = /^(?:\.?([^.[\]]+)|\[(\d+)\]|\[\*\]|\["((?:[^"\\]|\\.)*)"\])/;
    let rest = path;
    while (rest.length) {
        const match = pattern.exec(rest);
        if (!match || (parts.length === 0 && rest.startsWith("."))) throw new Error(`not a property path: ${path}`);
        if (match[1] !== undefined) parts.push(match[1]);
        else if (match[2] !== undefined) parts.push(Number(match[2]));
        else if (match[3] !== undefined) parts.push(match[3].replace(/\\(.)/g, "$1"));
        else parts.push("*");
        rest = rest.slice(match[0].length);
    }
    if (!parts.length) throw new Error(`not a property path: ${path}`);
    return parts;
}

type Json = unknown;
type JsonObject = Record<string, Json>;
const isObject = (v: Json): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const isArray = Array.isArray;

/** Writes `old`'s value at `path` into `next` (in place); false when the path cannot be followed in both. */
function reset(path: PathPart[], old: Json, next: Json): boolean {
    if (!path.length) return false;
    const [key, ...rest] = path;
    const leaf = rest.length === 0;
    if (typeof key === "number") {
        if (leaf) {
            if (!isArray(old) && !isArray(next)) return true;
            if (!isArray(old) || !isArray(next)) return false;
            if (key >= old.length && key >= next.length) return true;
            if (key >= old.length || key >= next.length) return false;
            next[key] = old[key];
            return true;
        }
        if (!isArray(old) || !isArray(next)) return !isArray(old) && !isArray(next);
        if (key >= old.length || key >= next.length) return false;
        return reset(rest, old[key], next[key]);
    }
    if (key === "*") {
        if (leaf) {
            if (isObject(next)) {
                if (isObject(old)) {
                    for (const k of Object.keys(old)) next[k] = old[k];
                    for (const k of Object.keys(next)) if (!(k in old)) delete next[k];
                }
                return true;
            }
            if (isArray(next)) {
                if (isArray(old)) {
                    for (let i = 0; i < Math.min(old.length, next.length); i++) next[i] = old[i];
                    return old.length === next.length;
                }
                return true;
            }
            return false;
        }
        if (isObject(old) && isObject(next)) return Object.keys(old).every((k) => k in next && reset(rest, old[k], next[k]));
        if (isArray(old) && isArray(next)) {
            for (let i = 0; i < Math.min(old.length, next.length); i++) if (!reset(rest, old[i], next[i])) return false;
            return old.length === next.length;
        }
        return false;
    }
    if (leaf) {
        if (isObject(old) && key in old) {
            if (!isObject(next)) return false;
            next[key] = old[key];
        } else if (isObject(next)) {
            delete next[key];
        }
        return true;
    }
    if (!isObject(old) || !isObject(next)) return !isObject(old) && !isObject(next);
    const hasOld = key in old;
    const hasNew = key in next;
    if (hasOld && !hasNew) return false;
    if (!hasOld && !hasNew) return true;
    return reset(rest, old[key], next[key]);
}

export interface IgnoredInputs {
    /** The new inputs with every applicable ignored path set back to its old value. */
    inputs: Record<string, Json>;
    /** The paths the engine could not apply (it logs "cannot ignore changes in added or removed elements"). */
    notApplied: string[];
}

/** The inputs the engine diffs: `inputs` with each of `paths` reset to `oldInputs`, where it can be. */
export function applyIgnoreChanges(inputs: Record<string, Json>, oldInputs: Record<string, Json>, paths: readonly string[]): IgnoredInputs {
    const next = structuredClone(inputs);
    const notApplied: string[] = [];
    for (const path of paths) {
        let parts: PathPart[];
        try {
            parts = parsePropertyPath(path);
        } catch {
            continue; // the engine skips a path it cannot parse
        }
        if (!reset(parts, oldInputs, next)) notApplied.push(path);
    }
    return { inputs: next, notApplied };
}
