import * as fs from "fs";
import * as path from "path";
import { PlainSpec, SpecError, specFromStackConfig } from "../components/config";
import { FlagValues, textFlag, UsageError } from "./cli";
import { evaluate } from "./offline/engine";
import { RecordedRun } from "./offline/record";
import { LoadedStack, loadStackFile, planStandIn, projectRoot, stackFileOf, stackNameOf } from "./offline/stack-config";

// Which stack a tool reads (--stack NAME or --config FILE, one flag set for plan, docs and verify), and one offline
// evaluation of it: the same spec the program builds, validated before anything runs.

export interface StackSource {
    /** The stack's name: `home`, or the file's (`Pulumi.lab.yaml` and `lab.yaml` -> `lab`). */
    stack: string;
    file: string;
    /** The file as messages name it: `Pulumi.home.yaml`, or the path as given. */
    shownAs: string;
    /** How it was named: --stack (the default) or --config. */
    from: "stack" | "config";
}

/** The stack the flags name; `home` when neither is given. */
export function stackSource(values: FlagValues): StackSource {
    const [stack, config] = [textFlag(values, "stack"), textFlag(values, "config")];
    if (stack !== undefined && config !== undefined) throw new UsageError(["give --stack or --config, not both"]);
    if (config !== undefined) return { stack: stackNameOf(config), file: path.resolve(config), shownAs: config, from: "config" };
    const name = stack ?? "home";
    // Pulumi's stack names: letters, digits, `-`, `_`, `.`; a path here would read a file outside the project.
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError([`--stack: ${JSON.stringify(name)} is not a stack name (letters, digits, -, _ and .); give a file with --config`]);
    return { stack: name, file: stackFileOf(name), shownAs: path.relative(process.cwd(), stackFileOf(name)) || `Pulumi.${name}.yaml`, from: "stack" };
}

/** Reads and validates the stack; throws its file's error, or a SpecError with every problem, fixes naming the file. */
export function loadStackSpec(source: StackSource): { loaded: LoadedStack; spec: PlainSpec } {
    if (!fs.existsSync(source.file)) {
        throw new Error(
            source.from === "config"
                ? `--config ${source.shownAs}: no such file`
                : `no stack file ${source.shownAs} for stack ${source.stack}: make one (cp Pulumi.example.yaml ${source.shownAs}, then edit it), or name an existing stack`,
        );
    }
    const loaded = loadStackFile(source.file, planStandIn, projectRoot, source.shownAs);
    const result = specFromStackConfig(loaded.config, { stackFile: source.shownAs });
    if (!result.ok) throw new SpecError(result.problems, result.unchecked);
    return { loaded, spec: result.spec };
}

/** The program run offline on a valid stack, with the spec it built; throws as {@link loadStackSpec}, or the program's failure. */
export async function runStackOffline(source: StackSource, opts: { program?: string } = {}): Promise<{ run: RecordedRun; spec: PlainSpec }> {
    const { loaded, spec } = loadStackSpec(source);
    const run = await evaluate(loaded.config, loaded.secretKeys, { stack: source.stack, program: opts.program });
    if (run.error) throw run.error;
    return { run, spec };
}

/** Where a tool writes a stack's generated files unless told otherwise: `out/<stack>/`, ignored by git. */
export function defaultOutDir(source: StackSource): string {
    return path.join(projectRoot, "out", source.stack);
}
