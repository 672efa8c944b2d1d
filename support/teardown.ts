// A stack of stops: whatever a scenario starts (registry, daemon, namespace,
// policy, mount, temp dir) registers how to stop it, and the After hook runs
// the stops in reverse order. Every stop runs even when an earlier one fails;
// the failures are reported together.

/** A stop learns whether the scenario failed, so it can attach its component's log first. */
type Stop = (failed: boolean) => Promise<void> | void;

export class TeardownStack {
  private readonly stops: { what: string; stop: Stop }[] = [];

  push(what: string, stop: Stop): void {
    this.stops.push({ what, stop });
  }

  get size(): number {
    return this.stops.length;
  }

  /** Run every stop, last registered first; returns what could not be stopped. */
  async run(failed: boolean): Promise<string[]> {
    const errors: string[] = [];
    for (let entry = this.stops.pop(); entry; entry = this.stops.pop()) {
      try {
        await entry.stop(failed);
      } catch (err) {
        errors.push(`${entry.what}: ${(err as Error).message}`);
      }
    }
    return errors;
  }
}
