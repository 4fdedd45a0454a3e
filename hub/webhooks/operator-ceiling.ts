import { AppError } from '../../contracts/index.js';
import { contains, effectiveViews, overlaps, parseCidr, type Cidr } from './cidr.js';
import { SubnetAllowList } from './ssrf-guard.js';

// Ranges that reach the hub's own host or its cloud: a tenant may never open them on its own, not even
// under a broad operator range; the operator must name a range inside them.
const SENSITIVE: Array<[string, string]> = [
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.169.254/32', 'cloud metadata'],
  ['169.254.0.0/16', 'link-local'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'IPv4-compatible (deprecated; may reach IPv4)'],
  ['fd00:ec2::254/128', 'cloud metadata'],
  ['fe80::/10', 'link-local'],
];
const SENSITIVE_CIDRS = SENSITIVE.map(([text, label]) => ({ cidr: parseCidr(text) as Cidr, label }));

/**
 * The operator's ceiling on tenant allow-lists (`VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES`, empty by
 * default): a tenant may allow-list a private range only inside it, and at delivery an address must be
 * allowed by both the tenant and the ceiling.
 */
export class OperatorCeiling {
  private readonly views: Cidr[];
  readonly allowList: SubnetAllowList;

  constructor(readonly ranges: readonly string[]) {
    this.views = ranges.flatMap((text) => {
      const cidr = parseCidr(text);
      if (!cidr) throw new AppError('config_invalid', `VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES: ${text} is not a CIDR`);
      return effectiveViews(cidr);
    });
    this.allowList = new SubnetAllowList(ranges);
  }

  /** Why a tenant may not allow-list `text`, or null when it lies inside the ceiling. */
  refusal(text: string): string | null {
    const cidr = parseCidr(text);
    if (!cidr) return `${text} is not a CIDR`;
    const views = effectiveViews(cidr);
    for (const view of views) {
      const covering = this.views.filter((c) => contains(c, view));
      for (const { cidr: sensitive, label } of SENSITIVE_CIDRS) {
        if (overlaps(sensitive, view) && !covering.some((c) => contains(sensitive, c))) {
          return `${text} includes ${sensitive.text} (${label}), which only the operator can open by naming it in VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES`;
        }
      }
    }
    if (views.some((view) => !this.views.some((c) => contains(c, view)))) {
      return `${text} is outside the private ranges the operator allows (VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES)`;
    }
    return null;
  }

  /** Refuses a tenant allow-list with 422 naming the first range out of bounds. */
  assertAllowed(ranges: readonly string[]): void {
    for (const range of ranges) {
      const reason = this.refusal(range);
      if (reason !== null) throw new AppError('unprocessable', reason, { details: { range } });
    }
  }
}
