-- The voice the seller picked on the preview (NeuroCards.Core/Cards/CardVoice.cs), read again when the video is assembled.
alter table card_previews add column voice text not null default 'marina';
