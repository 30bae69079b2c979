// Progressive enhancement for the review forms. The server already makes every decision safe to
// submit twice (claimed proposals, idempotency keys); this only spares people a confusing second click.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
  if (form.dataset.submitted === 'true') {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = 'true';
  form.setAttribute('aria-busy', 'true');
  // Disable after the browser has captured the submission, so the button's own value still goes.
  setTimeout(() => {
    for (const button of form.querySelectorAll('button[type="submit"]')) button.disabled = true;
  }, 0);
});
