/**
 * The analysis facility as IM would take it (environment "af", owned by
 * alice): the plan the IM-shape tests of rendering, minio-users and
 * credentials start from, with the named users each test needs.
 */
import { renderPlan } from '../../../main/render/plan';
import type { Plan } from '../../../main/render/types';
import { builtin } from '../catalogue/fixtures';

export function imFacilityPlan(hubUsers: string): Plan {
  return renderPlan({
    template: builtin('analysis-facility'),
    environment: { name: 'af' },
    target: 'im',
    owner: 'alice',
    values: { hubUsers },
  });
}
