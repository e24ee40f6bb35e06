// Leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm:
//  - acquire or renew with optimistic concurrency (PUT with the resourceVersion we read;
//    409 = someone else wrote first, try again next period);
//  - a lease held by someone else is expired only when its record has not changed for
//    leaseDuration as measured on OUR monotonic clock since we first saw that record —
//    never by comparing renewTime with our wall clock, which may be skewed;
//  - the leader renews every retryPeriod; if it has not renewed successfully for
//    renewDeadline it steps down, before others may take over (renewDeadline <
//    leaseDuration leaves the margin);
//  - on graceful stop the leader releases the lease (holder cleared, duration 1 s), so a
//    successor takes over at once instead of after leaseDuration.
// A demoted leader must stop writing at once: isLeader() is computed from the time of the
// last successful renew, not from a timer, and the elector is a WriteGate — a client built
// with client.withWriteGate(elector) refuses writes when not leading and aborts writes in
// flight when leadership ends.
import { sleep, systemClock, type Clock, type TimerHandle } from './clock.js';
import type { KubeClient, WriteGate } from './client.js';
import { NotLeaderError, isAlreadyExists, isConflict, isNotFound } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { microTime, type Lease } from './objects.js';
import { Resources } from './resources.js';

export interface LeaderElectionOptions {
  /** A client for the Lease itself (it must NOT be gated by this elector). */
  readonly client: KubeClient;
  readonly namespace: string;
  /** Lease name, e.g. "airunway-operator". */
  readonly name: string;
  /** Unique per replica, e.g. the pod name plus a random suffix. */
  readonly identity: string;
  /** How long a lease is valid without renewal (default 15 s). */
  readonly leaseDurationMs?: number;
  /** The leader steps down if it could not renew for this long (default 10 s). */
  readonly renewDeadlineMs?: number;
  /** Interval between attempts to acquire or renew (default 2 s). */
  readonly retryPeriodMs?: number;
  /** Clear the lease on stop() so a successor need not wait for expiry (default true). */
  readonly releaseOnStop?: boolean;
  /** Called when this replica becomes leader; `signal` aborts when it stops leading. */
  readonly onStartedLeading?: (signal: AbortSignal) => void | Promise<void>;
  /** Called when this replica stops leading (lost, or stopped). */
  readonly onStoppedLeading?: () => void;
  /** Called when the observed leader changes (including to ourselves). */
  readonly onNewLeader?: (identity: string) => void;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Current wall-clock time for Lease timestamps (default new Date()). */
  readonly wallClock?: () => Date;
}

interface ObservedRecord {
  readonly holderIdentity: string;
  readonly renewTime: string;
  readonly acquireTime: string;
  readonly leaseDurationSeconds: number;
  readonly leaseTransitions: number;
}

export class LeaderElector implements WriteGate {
  readonly identity: string;
  private readonly client: KubeClient;
  private readonly options: LeaderElectionOptions;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;

  private observed: ObservedRecord | undefined;
  /** Monotonic time at which `observed` was first seen. */
  private observedAt = 0;
  /** The last Lease we wrote or read (its resourceVersion is our precondition). */
  private lease: Lease | undefined;
  private leader = '';
  /** Leadership term: set while leading. */
  private term: { controller: AbortController; lastRenewStart: number; deadline?: TimerHandle } | undefined;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(options: LeaderElectionOptions) {
    this.options = options;
    this.client = options.client;
    this.identity = options.identity;
    this.logger = (options.logger ?? silentLogger).child({ lease: `${options.namespace}/${options.name}` });
    this.clock = options.clock ?? systemClock;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationMs)
      throw new Error('leader election: renewDeadline must be shorter than leaseDuration');
    if (this.retryPeriodMs * 1.2 >= this.renewDeadlineMs)
      throw new Error('leader election: retryPeriod × 1.2 must be shorter than renewDeadline');
    if (!options.identity) throw new Error('leader election: identity must not be empty');
  }

  /**
   * True while this replica holds a lease it renewed less than renewDeadline ago. Checked
   * against the clock on every call, so it turns false on time even if the renew loop is
   * stuck in a slow request.
   */
  isLeader(): boolean {
    const term = this.term;
    if (!term || term.controller.signal.aborted) return false;
    return this.clock.now() - term.lastRenewStart < this.renewDeadlineMs;
  }

  /** The holder we last observed ("" if none). */
  getLeader(): string {
    return this.leader;
  }

  /** Aborts when the current term ends; undefined when not leading. */
  get leaderSignal(): AbortSignal | undefined {
    return this.isLeader() ? this.term?.controller.signal : undefined;
  }

  /** WriteGate: throws NotLeaderError unless leading; the signal aborts at demotion. */
  assertWritable(): AbortSignal {
    const signal = this.leaderSignal;
    if (!signal) throw new NotLeaderError(`${this.identity} is not the leader of ${this.options.name}`);
    return signal;
  }

  /** Starts campaigning (idempotent). Resolves when stopped. */
  run(): Promise<void> {
    this.loop ??= this.campaign();
    return this.loop;
  }

  /**
   * Stops campaigning. A leader steps down first (callbacks run, writes are refused from
   * now on) and then, with releaseOnStop, clears the lease for a fast handover.
   */
  async stop(): Promise<void> {
    this.stopController.abort();
    const wasLeading = this.term !== undefined;
    this.endTerm('stopped');
    await this.loop;
    if (wasLeading && this.options.releaseOnStop !== false) await this.release();
  }

  private async campaign(): Promise<void> {
    const stop = this.stopController.signal;
    while (!stop.aborted) {
      // Candidate: try every retryPeriod (jittered, as client-go) until we hold the lease.
      const started = this.clock.now();
      if (await this.tryAcquireOrRenew(started)) {
        this.startTerm(started);
        await this.renewLoop();
        continue;
      }
      await sleep(this.retryPeriodMs * (1 + Math.random() * 0.2), stop, this.clock);
    }
  }

  private async renewLoop(): Promise<void> {
    const stop = this.stopController.signal;
    while (!stop.aborted && this.term && !this.term.controller.signal.aborted) {
      await sleep(this.retryPeriodMs, AbortSignal.any([stop, this.term.controller.signal]), this.clock);
      // Read again after the await (a method call: TypeScript would keep the narrowing).
      const term = this.currentTerm();
      if (this.isStopping() || !term || term.controller.signal.aborted) return;
      const started = this.clock.now();
      if (await this.tryAcquireOrRenew(started)) {
        if (this.term === term) {
          term.lastRenewStart = started;
          this.armDeadline();
        }
      } else if (
        this.clock.now() - term.lastRenewStart >= this.renewDeadlineMs ||
        this.leader !== this.identity
      ) {
        this.endTerm(
          this.leader !== this.identity ? 'lease taken by another holder' : 'renew deadline passed',
        );
      }
    }
  }

  private currentTerm() {
    return this.term;
  }

  private isStopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private startTerm(renewStarted: number): void {
    const controller = new AbortController();
    this.term = { controller, lastRenewStart: renewStarted };
    this.armDeadline();
    this.logger.info('became leader', { identity: this.identity });
    const signal = controller.signal;
    try {
      const result = this.options.onStartedLeading?.(signal);
      if (result instanceof Promise)
        result.catch((err: unknown) => {
          this.logger.error('onStartedLeading failed', { err });
        });
    } catch (err) {
      this.logger.error('onStartedLeading failed', { err });
    }
  }

  /** Ends the term exactly at the renew deadline, even if a renew request is still pending. */
  private armDeadline(): void {
    const term = this.term;
    if (!term) return;
    if (term.deadline !== undefined) this.clock.clearTimeout(term.deadline);
    const remaining = term.lastRenewStart + this.renewDeadlineMs - this.clock.now();
    term.deadline = this.clock.setTimeout(() => {
      if (this.term === term) this.endTerm('renew deadline passed');
    }, remaining);
  }

  private endTerm(reason: string): void {
    const term = this.term;
    if (!term) return;
    this.term = undefined;
    if (term.deadline !== undefined) this.clock.clearTimeout(term.deadline);
    term.controller.abort(new NotLeaderError(`leadership ended: ${reason}`));
    this.logger.warn('stopped leading', { identity: this.identity, reason });
    try {
      this.options.onStoppedLeading?.();
    } catch (err) {
      this.logger.error('onStoppedLeading failed', { err });
    }
  }

  private observe(record: ObservedRecord, now: number): void {
    const o = this.observed;
    const changed =
      !o ||
      o.holderIdentity !== record.holderIdentity ||
      o.renewTime !== record.renewTime ||
      o.acquireTime !== record.acquireTime ||
      o.leaseTransitions !== record.leaseTransitions ||
      o.leaseDurationSeconds !== record.leaseDurationSeconds;
    if (changed) {
      this.observed = record;
      this.observedAt = now;
    }
    if (record.holderIdentity !== this.leader) {
      this.leader = record.holderIdentity;
      if (record.holderIdentity) {
        this.logger.info('new leader observed', { leader: record.holderIdentity });
        try {
          this.options.onNewLeader?.(record.holderIdentity);
        } catch (err) {
          this.logger.error('onNewLeader failed', { err });
        }
      }
    }
  }

  /** One attempt; true if we hold the lease afterwards. Never throws. */
  private async tryAcquireOrRenew(now: number): Promise<boolean> {
    const timeoutMs = Math.max(1_000, this.renewDeadlineMs - this.retryPeriodMs);
    const signal = AbortSignal.any([this.stopController.signal, AbortSignal.timeout(timeoutMs)]);
    const wall = microTime((this.options.wallClock ?? (() => new Date()))());
    const durationSeconds = Math.ceil(this.leaseDurationMs / 1000);
    const { namespace, name } = this.options;
    try {
      // Fast path (client-go does the same): the leader renews from the Lease it last wrote
      // without a GET; a conflict sends it down the slow path on the next attempt.
      let lease = this.term && this.lease ? this.lease : undefined;
      if (!lease) {
        lease = await this.client.tryGet<Lease>(Resources.Lease, name, { namespace, signal });
        if (!lease) {
          const created = await this.client.create<Lease>(
            Resources.Lease,
            {
              apiVersion: 'coordination.k8s.io/v1',
              kind: 'Lease',
              metadata: { name, namespace },
              spec: {
                holderIdentity: this.identity,
                leaseDurationSeconds: durationSeconds,
                acquireTime: wall,
                renewTime: wall,
                leaseTransitions: 0,
              },
            },
            { signal },
          );
          this.lease = created;
          this.observe(recordOf(created), now);
          return true;
        }
        this.lease = lease;
        this.observe(recordOf(lease), now);
      }
      const record = recordOf(lease);
      const heldByOther = record.holderIdentity !== '' && record.holderIdentity !== this.identity;
      if (heldByOther && this.observedAt + record.leaseDurationSeconds * 1000 > now) return false;

      const ours = record.holderIdentity === this.identity;
      const updated = await this.client.replace<Lease>(
        Resources.Lease,
        {
          ...lease,
          spec: {
            holderIdentity: this.identity,
            leaseDurationSeconds: durationSeconds,
            acquireTime: ours && record.acquireTime ? record.acquireTime : wall,
            renewTime: wall,
            leaseTransitions: ours ? record.leaseTransitions : record.leaseTransitions + 1,
          },
        },
        { signal },
      );
      this.lease = updated;
      this.observe(recordOf(updated), now);
      return true;
    } catch (err) {
      this.lease = undefined; // re-read next time
      if (isConflict(err) || isAlreadyExists(err)) {
        this.logger.debug('lease changed concurrently', { reason: err.reason });
      } else if (!this.stopController.signal.aborted) {
        this.logger.warn('could not acquire or renew the lease', { err });
      }
      return false;
    }
  }

  /** Clears holderIdentity (leaseDuration 1 s) if we still hold the lease. */
  private async release(): Promise<void> {
    const { namespace, name } = this.options;
    const signal = AbortSignal.timeout(this.renewDeadlineMs);
    // The cached Lease may be stale (a renew aborted by stop() can still have landed):
    // one fresh read is enough to release with the right resourceVersion.
    for (const fresh of [false, true]) {
      try {
        const lease = fresh
          ? await this.client.tryGet<Lease>(Resources.Lease, name, { namespace, signal })
          : this.lease;
        if (!lease) continue;
        const record = recordOf(lease);
        if (record.holderIdentity !== this.identity) return;
        const wall = microTime((this.options.wallClock ?? (() => new Date()))());
        this.lease = await this.client.replace<Lease>(
          Resources.Lease,
          {
            ...lease,
            spec: {
              leaseDurationSeconds: 1,
              acquireTime: wall,
              renewTime: wall,
              leaseTransitions: record.leaseTransitions,
            },
          },
          { signal },
        );
        this.leader = '';
        this.logger.info('released the lease');
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || fresh) {
          this.logger.warn('could not release the lease', { err });
          return;
        }
      }
    }
  }
}

function recordOf(lease: Lease): ObservedRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    renewTime: spec.renewTime ?? '',
    acquireTime: spec.acquireTime ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}
