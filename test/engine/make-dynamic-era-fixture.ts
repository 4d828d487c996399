// Makes fixtures/dynamic-era/: the state the migration program (programs/migration) leaves after one `pulumi up`,
// with the ports and the stack's name replaced by placeholders (gzipped: the dynamic providers' serialized code
// makes it ~1 MB), and the stack's encryption salt, so its secrets
// decrypt again with the tests' passphrase. It was run once, on the tree of main before issue 23 (the resources
// still dynamic resources; the program's imports pointed at components/talos/api-ready), as
//   tools/engine/build.sh && tools/engine/loopback-only.sh mocha --timeout 600000 test/engine/make-dynamic-era-fixture.ts
// with FIXTURE_DIR naming where to write. Not part of any test run.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { gzipSync } from "zlib";
import { EngineStack } from "./cli";
import { configureWorld, MigrationWorld, placeholders, replaceAll, startWorld, stopWorld } from "./migration-world";

describe("the dynamic-era fixture", function () {
    this.timeout(600_000);
    let world: MigrationWorld | undefined;
    let engine: EngineStack | undefined;
    after(async () => {
        await engine?.close();
        await stopWorld(world);
    });

    it("is the state of the migration program after one up", async function () {
        const dir = process.env.FIXTURE_DIR;
        if (!dir) this.skip();
        world = await startWorld(this);
        engine = await EngineStack.create("migration");
        await configureWorld(engine, world);
        const up = await engine.up();
        assert.equal(up.code, 0, up.stdout + up.stderr);
        const { text } = await engine.exportState();
        const config = fs.readFileSync(path.join(engine.programDir, `Pulumi.${engine.stack}.yaml`), "utf8");
        const salt = /^encryptionsalt: (.*)$/m.exec(config)![1];
        fs.mkdirSync(dir!, { recursive: true });
        fs.writeFileSync(path.join(dir!, "state.json.gz"), gzipSync(replaceAll(text, placeholders(world, engine.stack))));
        fs.writeFileSync(path.join(dir!, "encryptionsalt"), `${salt}\n`);
    });
});
