/**
 * An event handler that cancels the browser's default first: a form's submit (the window has
 * nowhere to post it) runs `action` instead.
 */
export function preventDefault<E extends Event>(action: (event: E) => unknown): (event: E) => void {
  return (event) => {
    event.preventDefault();
    void action(event);
  };
}
