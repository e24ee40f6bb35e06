// Badges for the states the dashboard reports: deployment phases, GPU fit, runtime health.
// Each pairs a colour with an icon and a word.
import type { DeploymentPhase } from '@airunway/schema';
import type { FitLevel } from '~/lib/gpu-fit';
import { FIT_LABEL } from '~/lib/gpu-fit';
import { Badge, type Tone } from './badge';
import type { IconName } from './icon';

const PHASE_LOOK: Readonly<Record<DeploymentPhase, { tone: Tone; icon: IconName; spinning?: boolean }>> = {
  Running: { tone: 'success', icon: 'check' },
  Deploying: { tone: 'info', icon: 'progress', spinning: true },
  Pending: { tone: 'warning', icon: 'clock' },
  Failed: { tone: 'danger', icon: 'x' },
  Terminating: { tone: 'neutral', icon: 'minus' },
};

export function PhaseBadge({ phase, title }: { phase: DeploymentPhase; title?: string }) {
  const look = PHASE_LOOK[phase];
  return (
    <Badge tone={look.tone} icon={look.icon} spinning={look.spinning} {...(title ? { title } : {})}>
      {phase}
    </Badge>
  );
}

const FIT_LOOK: Readonly<Record<FitLevel, { tone: Tone; icon: IconName }>> = {
  fits: { tone: 'success', icon: 'check' },
  tight: { tone: 'warning', icon: 'alert' },
  'no-fit': { tone: 'danger', icon: 'x' },
  unknown: { tone: 'neutral', icon: 'info' },
};

export function FitBadge({ level, title }: { level: FitLevel; title?: string }) {
  const look = FIT_LOOK[level];
  return (
    <Badge tone={look.tone} icon={look.icon} {...(title ? { title } : {})}>
      {FIT_LABEL[level]}
    </Badge>
  );
}

export function HealthBadge({
  ok,
  okText,
  badText,
  warn,
}: {
  ok: boolean;
  okText: string;
  badText: string;
  warn?: boolean;
}) {
  if (ok)
    return (
      <Badge tone="success" icon="check">
        {okText}
      </Badge>
    );
  return (
    <Badge tone={warn ? 'warning' : 'neutral'} icon={warn ? 'alert' : 'minus'}>
      {badText}
    </Badge>
  );
}
