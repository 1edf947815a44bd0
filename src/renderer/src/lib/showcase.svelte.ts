/**
 * `#/showcase`: a page of the reusable panels (charts, confusion matrix, gallery, badges) fed with
 * made-up data, for looking at them in both themes and for the UI tests. Not in the navigation.
 */
const HASH = '#/showcase';

class Showcase {
  on = $state(window.location.hash === HASH);

  constructor() {
    window.addEventListener('hashchange', () => {
      this.on = window.location.hash === HASH;
    });
  }
}

export const showcase = new Showcase();
