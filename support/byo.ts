// Bring your own, per scenario: a tool replaced by the user's binary for this
// scenario only. The report names the override and what its version says.
import { runCommand } from './lib/runner.ts';
import { ATTACHMENT } from './report/attachments.ts';
import type { Scenario } from './scenario.ts';
import { clearScenarioOverrides, setScenarioOverride, versionSummary } from '../toolchain/tool-paths.ts';
import { binariesOf, TOOLS } from '../toolchain/versions.ts';

interface ToolOverride {
  bin: string;
  path: string;
  version: string;
}

export class Byo {
  /** Tools this scenario replaced, as the report records them. */
  readonly overrides: ToolOverride[] = [];
  private readonly scenario: Scenario;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
  }

  async overrideTool(bin: string, path: string): Promise<void> {
    const file = setScenarioOverride(bin, path);
    if (!this.overrides.length) this.scenario.teardown.push('tool overrides', () => clearScenarioOverrides());
    const versionArgs = TOOLS.find((t) => binariesOf(t).includes(bin))?.versionArgs ?? ['--version'];
    const res = await runCommand(file, versionArgs);
    const override = { bin, path: file, version: versionSummary(res.stdout || res.stderr) };
    this.overrides.push(override);
    this.scenario.json(ATTACHMENT.toolOverride, override);
  }

  override(bin: string): ToolOverride | undefined {
    return this.overrides.find((o) => o.bin === bin);
  }
}
