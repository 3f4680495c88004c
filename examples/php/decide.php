<?php
// A village information system in PHP asks entitle whether two residents qualify for OKU Timur's
// 2024 program for vulnerable workers (Inpres 2/2021; the regency pays their JKK and JKM), and
// what the regency pays for them over the year: through libentitle.so and PHP's FFI.
//
//     php examples/php/decide.php --library build/release/libentitle.so --policies policies
//
// A farmer earning Rp2.000.000 a month is eligible, and the regency pays 12 x (Rp10.000 JKK +
// Rp6.800 JKM) = Rp201.600 (PP 44/2015 Lampiran II and Pasal 46); a trader whose income the
// village does not know is undetermined, the income named as the fact to ask for.

declare(strict_types=1);

require __DIR__ . '/entitle.php';

use Entitle\Entitle;
use Entitle\Failure;

use function Entitle\rupiah;

$options = getopt('', ['library:', 'policies:', 'header:']);
$entitle = new Entitle(
    $options['library'] ?? 'libentitle.so',
    $options['header'] ?? __DIR__ . '/../../include/entitle/entitle.h',
);
$library = $entitle->library($options['policies'] ?? 'policies');
$policy = $entitle->policy($library, 'oku-timur/pekerja-rentan-2024-iuran');
$year = $entitle->batch($policy, ['period' => '2024-01..2024-12']);

$residents = [
    'Sri Wahyuni' => ['nik' => '1608010101800001', 'domicile_code' => '16.08.01.2001', 'birth_date' => '1980-01-01',
                      'employment' => 'informal', 'occupation' => 'petani', 'extreme_poor' => false,
                      'monthly_income' => 2000000, 'enrolled_bpjs_tk' => false],
    'Budi Santoso' => ['nik' => '1608020202850002', 'domicile_code' => '16.08.02.2003', 'birth_date' => '1985-02-02',
                       'employment' => 'informal', 'occupation' => 'pedagang', 'extreme_poor' => false,
                       'enrolled_bpjs_tk' => false],
];

echo "entitle ", $entitle->version(), "\n";
foreach ($residents as $name => $facts) {
    $person = json_encode($facts, JSON_THROW_ON_ERROR);
    $decision = $entitle->decide($year, $person);
    echo "$name: {$decision['status']}";
    if ($decision['missing'] !== []) {
        echo " (ask for: ", implode(', ', $decision['missing']), ")";
    }
    echo "\n";
    if ($decision['status'] === 'eligible') {
        $statement = $entitle->contributions($year, $person);
        $payers = array_map(fn ($t) => $t['payer'] . ' ' . rupiah($t['amount']), $statement['totals']);
        echo "  {$statement['period']}: ", rupiah($statement['total']), " (", implode(', ', $payers), ")\n";
    }
}

// A date that is no date is refused, at its place.
try {
    $entitle->decide($year, '{"birth_date": "1980-02-30"}');
} catch (Failure $e) {
    echo "refused: ", $e->getMessage(), "\n";
}
$entitle->free($library, $year, $policy);
