// Registration form: send the browser's time zone so e-mails show the session in the attendee's
// own time. Without this script the server uses the session's zone.
const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
document.querySelectorAll<HTMLInputElement>('input[data-browser-tz]').forEach((input) => {
  if (!input.value && tz) input.value = tz;
});
