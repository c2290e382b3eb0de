/** One ticking clock for every countdown on the page (once a second while anyone reads it). */
const state = $state({ now: Date.now() });
let timer: ReturnType<typeof setInterval> | undefined;
let readers = 0;

export const clock = {
  get now() {
    return state.now;
  },
};

/** Starts the clock for a component; call the returned function when it goes away. */
export function useClock(): () => void {
  readers++;
  timer ??= setInterval(() => (state.now = Date.now()), 1000);
  return () => {
    if (--readers === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
