// After single sign-on: move on from a page of this site, so the next request is one this site
// started and carries the SameSite=Strict session cookie (a redirect straight from the provider's
// answer would still count as the provider's navigation and arrive without it).
(() => {
  const link = document.getElementById('continue');
  if (link) location.replace(link.getAttribute('href'));
})();
