// A host page's own script: open the booking dialog from its own button. With `async` the
// widget may load after this runs, so the click handler looks window.Booking up when pressed.
document.getElementById('open-booking').addEventListener('click', () => {
  const dialog = window.Booking && window.Booking.open({ resource: 'dr-rivera' })
  if (dialog) dialog.on('booking:confirmed', ({ booking }) => console.log('booked', booking.ref))
})
