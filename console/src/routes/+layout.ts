// A single-page app: everything is loaded in the browser with the person's key.
export const ssr = false;
export const prerender = false;
