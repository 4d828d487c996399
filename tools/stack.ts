import * as fs from "fs";
import * as path from "path";
import { ConfigError, PlainSpec, specFromStackConfig } from "../components/config";
import { LoadedStack, loadStackFile, planStandIn, projectRoot, stackFileOf, stackNameOf } from "../components/config/stack-file";
import { FlagValues, textFlag, UsageError } from "./cli";

// Which stack a tool reads (--stack NAME or --config FILE, one flag set for plan, docs and verify), read and
// validated with the pure config code alone: a tool checks its flags and the stack before it loads anything heavy.

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
    if (!/^[A-Za-z0-9_.-]+$/.test(name))
        throw new UsageError([
            `--stack: ${JSON.stringify(name)} is not a stack name (letters, digits, -, _ and .); give a file with --config`,
        ]);
    return {
        stack: name,
        file: stackFileOf(name),
        shownAs: path.relative(process.cwd(), stackFileOf(name)) || `Pulumi.${name}.yaml`,
        from: "stack",
    };
}

/** Reads and validates the stack; throws its file's error, or a ConfigError with every problem, fixes naming the file. */
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
    if (!result.ok) throw new ConfigError(result.problems, result.unchecked);
    return { loaded, spec: result.spec };
}

/** Where a tool writes a stack's generated files unless told otherwise: `out/<stack>/`, ignored by git. */
export function defaultOutDir(source: StackSource): string {
    return path.join(projectRoot, "out", source.stack);
}
