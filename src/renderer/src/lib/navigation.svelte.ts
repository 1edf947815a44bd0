/**
 * Which place is showing, and for which run(s). Kept in the URL hash (an in-page change, never a
 * navigation) so a reload returns to the same place: `#/runs`, `#/run/12`, `#/compare/3,7,9`.
 */
export const PLACES = [
  { id: 'runs', label: 'Runs' },
  { id: 'new', label: 'New run' },
  { id: 'compare', label: 'Compare' },
  { id: 'inspect', label: 'Inspect' },
  { id: 'model', label: 'Model' },
  { id: 'dataset', label: 'Dataset' },
] as const;

export type NavPlaceId = (typeof PLACES)[number]['id'];
/**
 * `run` is a run's own page, reached from Runs (or opened by Start on New run); `features` is a
 * run's feature map, reached from the run's page and from Inspect; `audit` is the label audit
 * (`#/audit` or `#/audit/RUN`), a place under Dataset. None has a nav entry of its own.
 */
export type PlaceId = NavPlaceId | 'run' | 'features' | 'audit';

interface Location {
  place: PlaceId;
  runId: number | null;
  compareIds: number[];
  /** `#/inspect/RUN/INDEX`: the test image the inspector opens with. */
  testIndex?: number | null;
}

function parseHash(hash: string): Location {
  const [id, arg] = hash.replace(/^#\/?/, '').split('/');
  const ids = (arg ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  if (id === 'run' && ids.length === 1) return { place: 'run', runId: ids[0]!, compareIds: [] };
  if (id === 'features' && ids.length === 1) return { place: 'features', runId: ids[0]!, compareIds: [] };
  if (id === 'audit') return { place: 'audit', runId: ids[0] ?? null, compareIds: [] };
  if (id === 'compare') return { place: 'compare', runId: null, compareIds: ids };
  if (id === 'inspect') {
    const [, run, index] = hash.replace(/^#\/?/, '').split('/').map(Number);
    const valid = (n: number | undefined, min: number) => (Number.isInteger(n) && n! >= min ? n! : null);
    return { place: 'inspect', runId: valid(run, 1), compareIds: [], testIndex: valid(index, 0) };
  }
  const place = PLACES.some((p) => p.id === id) ? (id as NavPlaceId) : 'runs';
  return { place, runId: null, compareIds: [] };
}

class Navigation {
  place = $state<PlaceId>('runs');
  /** The run shown by the `run` place. */
  runId = $state<number | null>(null);
  /** The runs selected for Compare. */
  compareIds = $state<number[]>([]);
  /** The test image the inspector shows (null: none, or the user's own image). */
  testIndex = $state<number | null>(null);

  constructor() {
    this.apply(parseHash(window.location.hash));
    window.addEventListener('hashchange', () => this.apply(parseHash(window.location.hash)));
  }

  private apply(loc: Location): void {
    this.place = loc.place;
    this.runId = loc.runId;
    this.testIndex = loc.testIndex ?? null;
    if (loc.place === 'compare' && loc.compareIds.length) this.compareIds = loc.compareIds;
  }

  go(place: NavPlaceId): void {
    const hash =
      place === 'compare' && this.compareIds.length ? `#/compare/${this.compareIds.join(',')}` : `#/${place}`;
    this.apply(parseHash(hash));
    window.location.hash = hash;
  }

  openRun(id: number): void {
    this.apply({ place: 'run', runId: id, compareIds: [] });
    window.location.hash = `#/run/${id}`;
  }

  /** The inspector on a run's test image (from a gallery), or on the run alone. */
  inspect(runId: number | null, testIndex: number | null = null): void {
    const hash = `#/inspect${runId ? `/${runId}${testIndex != null ? `/${testIndex}` : ''}` : ''}`;
    this.apply(parseHash(hash));
    window.location.hash = hash;
  }

  /** A run's feature map (#/features/RUN). */
  featureMap(runId: number): void {
    this.apply({ place: 'features', runId, compareIds: [] });
    window.location.hash = `#/features/${runId}`;
  }

  /** The label audit, of a run or (null) with its run picker only (#/audit/RUN). */
  audit(runId: number | null): void {
    this.apply({ place: 'audit', runId, compareIds: [] });
    window.location.hash = runId ? `#/audit/${runId}` : '#/audit';
  }

  compare(ids: number[]): void {
    this.compareIds = [...ids];
    this.apply({ place: 'compare', runId: null, compareIds: ids });
    window.location.hash = `#/compare/${ids.join(',')}`;
  }
}

export const navigation = new Navigation();
