<?php
// entitle's C interface (include/entitle/entitle.h, docs/c-api.md) from PHP, through FFI: the
// declarations are read from the header itself, so they never drift from the library. Results
// are decoded with big integers kept as strings: an amount is an int or a string ("16800.50"),
// never a float.

declare(strict_types=1);

namespace Entitle;

/** A failed call: the entitle_status, the message and its place (a JSON pointer, a roster line). */
final class Failure extends \RuntimeException
{
    public function __construct(public readonly int $status, string $message, public readonly string $location)
    {
        parent::__construct($location === '' ? $message : "$location: $message", $status);
    }
}

final class Entitle
{
    private \FFI $c;

    public function __construct(string $library, string $header)
    {
        $this->c = \FFI::cdef(self::declarations($header), $library);
    }

    /** The header without its preprocessor lines and the C++ guard, as FFI::cdef reads C. */
    private static function declarations(string $header): string
    {
        $text = file_get_contents($header);
        if ($text === false) {
            throw new \RuntimeException("cannot read $header");
        }
        $text = preg_replace('~/\*.*?\*/~s', '', $text);
        $text = preg_replace('~#ifdef __cplusplus.*?#endif~s', '', $text);
        return preg_replace('~^\s*#.*$~m', '', $text);
    }

    public function version(): string
    {
        return $this->c->entitle_version(); // FFI gives a const char* back as a PHP string
    }

    public function library(string $directory): \FFI\CData
    {
        $library = $this->c->new('entitle_library*');
        $this->check($this->c->entitle_library_new(\FFI::addr($library)));
        $this->check($this->c->entitle_library_add_directory($library, $directory), fn () => $this->c->entitle_library_free($library));
        return $library;
    }

    /** @param array<string, string> $settings as `entitle run --set`: ["apbd_oku_timur_2024.quota" => "1000"] */
    public function policy(\FFI\CData $library, string $id, array $settings = []): \FFI\CData
    {
        $policy = $this->c->new('entitle_policy*');
        $json = $settings === [] ? null : json_encode($settings, JSON_THROW_ON_ERROR | JSON_FORCE_OBJECT);
        $this->check($this->c->entitle_policy_compile($library, $id, $json, \FFI::addr($policy)));
        return $policy;
    }

    /** @param array<string, mixed> $options as docs/c-api.md lists them: ["period" => "2024-01..2024-12"] */
    public function batch(\FFI\CData $policy, array $options = []): \FFI\CData
    {
        $batch = $this->c->new('entitle_batch*');
        $json = json_encode((object) $options, JSON_THROW_ON_ERROR);
        $this->check($this->c->entitle_batch_new($policy, $json, \FFI::addr($batch)));
        return $batch;
    }

    /** The decision for a person given as JSON text: status, reasons, missing facts. */
    public function decide(\FFI\CData $batch, string $person): array
    {
        return $this->result(fn ($out) => $this->c->entitle_decide($batch, $person, strlen($person), $out));
    }

    /** The person's contributions over the batch's period (entitle-statement/1). */
    public function contributions(\FFI\CData $batch, string $person): array
    {
        return $this->result(fn ($out) => $this->c->entitle_contributions($batch, $person, strlen($person), $out));
    }

    public function free(\FFI\CData $library, \FFI\CData ...$handles): void
    {
        foreach ($handles as $handle) {
            $type = \FFI::typeof($handle)->getPointerType()->getName();
            match ($type) {
                'struct entitle_batch' => $this->c->entitle_batch_free($handle),
                'struct entitle_policy' => $this->c->entitle_policy_free($handle),
            };
        }
        $this->c->entitle_library_free($library);
    }

    /** Calls `$call` with a char** for the result, decodes the JSON and frees the text. */
    private function result(callable $call): array
    {
        $out = $this->c->new('char*');
        $this->check($call(\FFI::addr($out)));
        try {
            return json_decode(\FFI::string($out), true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
        } finally {
            $this->c->entitle_free($out);
        }
    }

    private function check(int $status, ?callable $cleanup = null): void
    {
        if ($status === 0) {
            return;
        }
        $message = $this->c->entitle_last_error_message();
        $location = $this->c->entitle_last_error_location();
        if ($cleanup !== null) {
            $cleanup();
        }
        throw new Failure($status, $message, $location);
    }
}

/** Rupiah as Indonesians write them, from an amount as entitle gives it (201600, "16800.50"): exact. */
function rupiah(int|string $amount): string
{
    [$whole, $sen] = array_pad(explode('.', (string) $amount), 2, '');
    $grouped = strrev(implode('.', str_split(strrev($whole), 3)));
    return 'Rp' . $grouped . ($sen === '' ? '' : ',' . $sen);
}
