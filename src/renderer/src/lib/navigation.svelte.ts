/**
 * Which place is showing. Kept in the URL hash (an in-page change, never a navigation) so a
 * reload returns to the same place.
 */
export const PLACES = [
  { id: 'runs', label: 'Runs' },
  { id: 'new', label: 'New run' },
  { id: 'compare', label: 'Compare' },
  { id: 'model', label: 'Model' },
  { id: 'dataset', label: 'Dataset' },
] as const;

export type PlaceId = (typeof PLACES)[number]['id'];

function placeFromHash(hash: string): PlaceId {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return PLACES.some((p) => p.id === id) ? (id as PlaceId) : 'runs';
}

class Navigation {
  place = $state<PlaceId>(placeFromHash(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.place = placeFromHash(window.location.hash);
    });
  }

  go(place: PlaceId): void {
    this.place = place;
    window.location.hash = `#/${place}`;
  }
}

export const navigation = new Navigation();
