<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sw">
<context>
    <name>AnalysisWorker</name>
    <message>
        <source>the model could not be opened</source>
        <translation>modeli haikuweza kufunguliwa</translation>
    </message>
    <message>
        <source>Heatmap failed for {name}: {reason}</source>
        <translation>Ramani ya joto imeshindikana kwa {name}: {reason}</translation>
    </message>
    <message>
        <source>The report could not be written: {error}</source>
        <translation>Ripoti haikuweza kuandikwa: {error}</translation>
    </message>
    <message>
        <source>The DICOM results could not be written: {error}</source>
        <translation>Matokeo ya DICOM hayakuweza kuandikwa: {error}</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>Uhamishaji umeghairiwa.</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>Haiwezekani kuandika {path}: {reason}</translation>
    </message>
</context>
<context>
    <name>ClinicInputs</name>
    <message>
        <source>Cannot use the inbox {folder}: {reason}</source>
        <extracomment>The watched folder is polled this often, and a file taken once unchanged in this many polls in a row (the ``watch`` command&apos;s defaults: a film that has rested 4–6 s).</extracomment>
        <translation>Haiwezekani kutumia folda ya mapokezi {folder}: {reason}</translation>
    </message>
    <message>
        <source>Cannot listen on {address}: {reason}</source>
        <translation>Haiwezekani kusikiliza kwenye {address}: {reason}</translation>
    </message>
    <message>
        <source>Cannot watch {folder}: it is not a folder</source>
        <translation>Haiwezekani kufuatilia {folder}: si folda</translation>
    </message>
    <message>
        <source>Cannot read the watched folder {folder}: {reason}</source>
        <translation>Haiwezekani kusoma folda inayofuatiliwa {folder}: {reason}</translation>
    </message>
</context>
<context>
    <name>DropHint</name>
    <message>
        <source>Drop chest X-ray images or folders here
(PNG, JPEG, BMP, TIFF, DICOM)

or use File → Open files… / Open folder…</source>
        <translation>Buruta hapa picha za X-ray za kifua au folda
(PNG, JPEG, BMP, TIFF, DICOM)

au tumia Faili → Fungua faili… / Fungua folda…</translation>
    </message>
</context>
<context>
    <name>EngineOwner</name>
    <message>
        <source>The model could not be opened: {error}</source>
        <translation>Modeli haikuweza kufunguliwa: {error}</translation>
    </message>
</context>
<context>
    <name>FilmPresenter</name>
    <message>
        <source>Select a row to view the film.</source>
        <translation>Chagua safu ili kuona picha.</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>Inapakia {name}…</translation>
    </message>
    <message>
        <source>{name} · {width}×{height} · {format}, {bits} bit</source>
        <translation>{name} · {width}×{height} · {format}, biti {bits}</translation>
    </message>
    <message>
        <source>Cannot show this file: {reason}</source>
        <translation>Haiwezekani kuonyesha faili hili: {reason}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Filter by file, patient, prediction or reason…</source>
        <translation>Chuja kwa faili, mgonjwa, utabiri au sababu…</translation>
    </message>
    <message>
        <source>Needs review only</source>
        <translation>Zinazohitaji ukaguzi tu</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Hali zote</translation>
    </message>
    <message>
        <source>{shown} of {total} shown</source>
        <translation>{shown} kati ya {total} zinaonyeshwa</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CXR Screening</source>
        <extracomment>How the window&apos;s width is shared at start: the table takes what its decision columns need at 1280 pixels.</extracomment>
        <translation>CXR Screening</translation>
    </message>
    <message>
        <source>Looking for models…</source>
        <translation>Inatafuta modeli…</translation>
    </message>
    <message>
        <source>Could not look for models: {error}</source>
        <translation>Haikuweza kutafuta modeli: {error}</translation>
    </message>
    <message>
        <source>{count} model(s) available</source>
        <translation>Modeli {count} zinapatikana</translation>
    </message>
    <message>
        <source>No model installed</source>
        <translation>Hakuna modeli iliyosakinishwa</translation>
    </message>
    <message>
        <source>Busy: wait for the current job or cancel it.</source>
        <translation>Ina shughuli: subiri kazi inayoendelea au ighairi.</translation>
    </message>
    <message>
        <source>No model is available: see the Model &amp; runtime tab.</source>
        <translation>Hakuna modeli inayopatikana: angalia kichupo cha Modeli &amp; uendeshaji.</translation>
    </message>
    <message>
        <source>Export results as CSV</source>
        <translation>Hamisha matokeo kama CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Faili za CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Uhamishaji umeshindikana</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>Haiwezekani kuandika {path}: {reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Imehifadhiwa: {path}</translation>
    </message>
    <message>
        <source>Export PDF report</source>
        <translation>Hamisha ripoti ya PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Faili za PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export DICOM results into</source>
        <translation>Hamisha matokeo ya DICOM kwenda</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>imeshindikana</translation>
    </message>
</context>
<context>
    <name>ModelCardView</name>
    <message>
        <source>&lt;p&gt;No model loaded.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Hakuna modeli iliyopakiwa.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Automatic routing: each film is scored by the model validated for its population below; a film none is validated for is not scored and is flagged for review.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;Uelekezaji wa kiotomatiki: kila picha inapimwa na modeli iliyothibitishwa kwa kundi lake (hapa chini); picha ambayo hakuna modeli iliyothibitishwa kwayo haipimwi na inawekwa alama ikaguliwe.&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;td&gt;none recorded&lt;/td&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;td&gt;hakuna iliyorekodiwa&lt;/td&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>haijaelezwa</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Intended use:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Matumizi yaliyokusudiwa:&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Validated population:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Kundi lililothibitishwa:&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Trained on:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Imefunzwa kwa:&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Labels:&lt;/b&gt; {labels}; &lt;b&gt;flags&lt;/b&gt; {flagged}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Lebo:&lt;/b&gt; {labels}; &lt;b&gt;huweka alama&lt;/b&gt; {flagged}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Test metrics of build {build}:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Vipimo vya majaribio vya toleo {build}:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Limitations:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Mapungufu:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>not stated: films are never routed to this model automatically</source>
        <translation>haijaelezwa: hakuna picha inayoelekezwa kwa modeli hii kiotomatiki</translation>
    </message>
    <message>
        <source>; never chosen automatically, only when asked for</source>
        <translation>; haichaguliwi kiotomatiki, ila inapoombwa tu</translation>
    </message>
    <message>
        <source>{description} (sources: {sources}){routed}</source>
        <translation>{description} (vyanzo: {sources}){routed}</translation>
    </message>
    <message>
        <source>Test films</source>
        <translation>Picha za majaribio</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Usahihi</translation>
    </message>
    <message>
        <source>ROC AUC</source>
        <translation>AUC ROC</translation>
    </message>
    <message>
        <source>sensitivity</source>
        <translation>unyeti</translation>
    </message>
    <message>
        <source>specificity</source>
        <translation>umahususi</translation>
    </message>
    <message>
        <source>{label} {measure} at threshold {threshold:.3f}</source>
        <translation>{measure} ya {label} kwenye kizingiti {threshold:.3f}</translation>
    </message>
    <message>
        <source>Recall {label}</source>
        <translation>Kiwango cha kutambua {label}</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt; no figures in this card&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Ukaguzi wa usalama:&lt;/b&gt; hakuna takwimu katika kadi hii&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt; figures in an older format: re-attach them with converters.safety_card&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Ukaguzi wa usalama:&lt;/b&gt; takwimu ziko katika muundo wa zamani: ziambatishe upya kwa converters.safety_card&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Chest-film gate refused non-chest test images ({name}): {figure}</source>
        <translation>Kichujio cha picha za kifua kilikataa picha za majaribio zisizo za kifua ({name}): {figure}</translation>
    </message>
    <message>
        <source>wrongly refused real frontal films ({name}): {figure}</source>
        <translation>kilikataa kimakosa picha halisi za mbele ({name}): {figure}</translation>
    </message>
    <message>
        <source>source held out of fitting, {name}: refused {figure}</source>
        <translation>chanzo kisichotumika katika ufunzaji, {name}: zilizokataliwa {figure}</translation>
    </message>
    <message>
        <source>Population check ({name}): {population}</source>
        <translation>Ukaguzi wa kundi ({name}): {population}</translation>
    </message>
    <message>
        <source>judged outside it ({name}): {figure}</source>
        <translation>zilizoonekana kuwa nje yake ({name}): {figure}</translation>
    </message>
    <message>
        <source>source held out of fitting ({fold}), {name}: {figure}</source>
        <translation>chanzo kisichotumika katika ufunzaji ({fold}), {name}: {figure}</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Ukaguzi wa usalama:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>{count} of {films}, {rate}</source>
        <translation>{count} kati ya {films}, {rate}</translation>
    </message>
    <message>
        <source>{counts} films</source>
        <translation>picha {counts}</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>haipo</translation>
    </message>
    <message>
        <source>{value} (95% CI {low}–{high})</source>
        <translation>{value} (CI 95% {low}–{high})</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Automatic (GPU if available)</source>
        <translation>Kiotomatiki (GPU ikiwepo)</translation>
    </message>
    <message>
        <source>GPU (fall back to CPU)</source>
        <translation>GPU (vinginevyo CPU)</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>CPU pekee</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>haijapakiwa</translation>
    </message>
    <message>
        <source>Look for models again</source>
        <translation>Tafuta modeli tena</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modeli</translation>
    </message>
    <message>
        <source>Films go to</source>
        <translation>Picha zinaenda kwa</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Toleo</translation>
    </message>
    <message>
        <source>Accelerator</source>
        <translation>Kiongeza kasi</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Nyuzi</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Injini ya uendeshaji</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Maelezo</translation>
    </message>
    <message>
        <source>Automatic (by population)</source>
        <translation>Kiotomatiki (kwa kundi)</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;Refused&lt;/b&gt; {folder}: {error}&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;Imekataliwa&lt;/b&gt; {folder}: {error}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Model folders searched: {folders}</source>
        <translation>Folda za modeli zilizotafutwa: {folders}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>hakuna</translation>
    </message>
    <message>
        <source>each model&apos;s default build</source>
        <translation>toleo la msingi la kila modeli</translation>
    </message>
    <message>
        <source>{name} {version} ({build}): {population}</source>
        <translation>{name} {version} ({build}): {population}</translation>
    </message>
    <message>
        <source>no stated population</source>
        <translation>hakuna kundi lililoelezwa</translation>
    </message>
    <message>
        <source>Each film goes to the model validated for its population; a film none is validated for is shown as not validated and flagged for review.</source>
        <translation>Kila picha inaenda kwa modeli iliyothibitishwa kwa kundi lake; picha ambayo hakuna modeli iliyothibitishwa kwayo inaonyeshwa kuwa haijathibitishwa na inawekwa alama ikaguliwe.</translation>
    </message>
    <message>
        <source>Every film is scored by this model; films outside its population are shown as not validated and flagged for review.</source>
        <translation>Kila picha inapimwa na modeli hii; picha zilizo nje ya kundi lake zinaonyeshwa kuwa hazijathibitishwa na zinawekwa alama zikaguliwe.</translation>
    </message>
</context>
<context>
    <name>NoModelPage</name>
    <message>
        <source>Look for models again</source>
        <translation>Tafuta modeli tena</translation>
    </message>
    <message>
        <source>&lt;h2&gt;No screening model is installed&lt;/h2&gt;&lt;p&gt;This program needs a model bundle: a folder holding &lt;tt&gt;card.json&lt;/tt&gt; and a &lt;tt&gt;.tflite&lt;/tt&gt; file, provided by your program administrator.&lt;/p&gt;&lt;p&gt;To add one, copy the whole folder into &lt;b&gt;{user_folder}&lt;/b&gt; and press &lt;i&gt;Look for models again&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;Folders searched:&lt;/p&gt;&lt;ul&gt;{folders}&lt;/ul&gt;</source>
        <translation>&lt;h2&gt;Hakuna modeli ya uchunguzi iliyosakinishwa&lt;/h2&gt;&lt;p&gt;Programu hii inahitaji kifurushi cha modeli: folda yenye &lt;tt&gt;card.json&lt;/tt&gt; na faili la &lt;tt&gt;.tflite&lt;/tt&gt;, kinachotolewa na msimamizi wa programu yako.&lt;/p&gt;&lt;p&gt;Ili kuongeza kimoja, nakili folda nzima ndani ya &lt;b&gt;{user_folder}&lt;/b&gt; kisha bonyeza &lt;i&gt;Tafuta modeli tena&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;Folda zilizotafutwa:&lt;/p&gt;&lt;ul&gt;{folders}&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Bundles found but refused (damaged or incompatible):&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</source>
        <translation>&lt;p&gt;Vifurushi vilivyopatikana lakini vimekataliwa (vimeharibika au havioani):&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</translation>
    </message>
</context>
<context>
    <name>ReceiveDialog</name>
    <message>
        <source>Receive from X-ray unit</source>
        <extracomment>DICOM&apos;s limit on an AE title (PS3.5 §6.2, AE value representation).</extracomment>
        <translation>Pokea kutoka kwa mashine ya X-ray</translation>
    </message>
    <message>
        <source>Receive films from the X-ray unit and screen each one</source>
        <translation>Pokea picha kutoka kwa mashine ya X-ray na uchunguze kila moja</translation>
    </message>
    <message>
        <source>{address} (this computer only)</source>
        <translation>{address} (kompyuta hii pekee)</translation>
    </message>
    <message>
        <source>{address} (every network)</source>
        <translation>{address} (mitandao yote)</translation>
    </message>
    <message>
        <source>any unit (e.g. DR_ROOM1, CR_ROOM2)</source>
        <translation>mashine yoyote (k.m. DR_ROOM1, CR_ROOM2)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Chagua…</translation>
    </message>
    <message>
        <source>AE title:</source>
        <translation>Jina la AE:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Poti:</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>Sikiliza kwenye:</translation>
    </message>
    <message>
        <source>Accept only units:</source>
        <translation>Pokea kutoka mashine hizi tu:</translation>
    </message>
    <message>
        <source>Keep received films in:</source>
        <translation>Hifadhi picha zilizopokelewa katika:</translation>
    </message>
    <message>
        <source>On the X-ray unit, add a storage destination with this AE title and port and this computer&apos;s address. 127.0.0.1 only accepts films from this computer: for the unit to reach it, listen on this computer&apos;s network address (or 0.0.0.0) and list the unit&apos;s own AE title above. DICOM is not encrypted: keep it on the clinic&apos;s network.</source>
        <translation>Kwenye mashine ya X-ray, ongeza mahali pa kuhifadhi penye jina hili la AE, poti hii na anwani ya kompyuta hii. 127.0.0.1 hupokea picha kutoka kompyuta hii pekee: ili mashine iifikie, sikiliza kwenye anwani ya mtandao ya kompyuta hii (au 0.0.0.0) na uandike hapo juu jina la AE la mashine yenyewe. DICOM haijasimbwa: iweke kwenye mtandao wa kliniki tu.</translation>
    </message>
    <message>
        <source>Keep received films in</source>
        <translation>Hifadhi picha zilizopokelewa katika</translation>
    </message>
</context>
<context>
    <name>ResultDetails</name>
    <message>
        <source>This result supports and does not replace a clinician&apos;s reading.</source>
        <translation>Matokeo haya ni msaada kwa daktari; hayachukui nafasi ya usomaji wake.</translation>
    </message>
    <message>
        <source>Flagged for review at {value:.1%} or more</source>
        <translation>Huwekwa alama ikaguliwe kuanzia {value:.1%}</translation>
    </message>
    <message>
        <source>No film selected.</source>
        <translation>Hakuna picha iliyochaguliwa.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;{status}&lt;/h3&gt;{reason}</source>
        <translation>&lt;h3&gt;{status}&lt;/h3&gt;{reason}</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c25400&apos;&gt;NEEDS REVIEW&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#c25400&apos;&gt;INAHITAJI UKAGUZI&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Not flagged</source>
        <translation>Haijawekwa alama</translation>
    </message>
    <message>
        <source>&lt;br&gt;Image quality: {score:.0f} of 100</source>
        <translation>&lt;br&gt;Ubora wa picha: {score:.0f} kati ya 100</translation>
    </message>
    <message>
        <source>&lt;br&gt;Scored by {model}</source>
        <translation>&lt;br&gt;Imepimwa na {model}</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#666&apos;&gt;The model&apos;s output, not validated for this film: {prediction} ({confidence})&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#666&apos;&gt;Jibu la modeli, lisilothibitishwa kwa picha hii: {prediction} ({confidence})&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ResultsTableModel</name>
    <message>
        <source>OK</source>
        <translation>Sawa</translation>
    </message>
    <message>
        <source>Not validated</source>
        <translation>Haijathibitishwa</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Imekataliwa</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Hitilafu</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>Inahitaji ukaguzi</translation>
    </message>
    <message>
        <source>⚠ warning</source>
        <translation>⚠ tahadhari</translation>
    </message>
    <message>
        <source>{status}: {reason}</source>
        <translation>{status}: {reason}</translation>
    </message>
    <message>
        <source>File</source>
        <extracomment>The columns after the label columns, in order (`column_of` gives their index).</extracomment>
        <translation>Faili</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Mgonjwa</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Utabiri</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Uhakika</translation>
    </message>
    <message>
        <source>P({label})</source>
        <translation>P({label})</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Ubora</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modeli</translation>
    </message>
    <message>
        <source>Status / reason</source>
        <translation>Hali / sababu</translation>
    </message>
    <message>
        <source>Patient ID · name · study date (DICOM files)</source>
        <translation>Kitambulisho cha mgonjwa · jina · tarehe ya uchunguzi (faili za DICOM)</translation>
    </message>
    <message>
        <source>Why a film has no result, or what to keep in mind</source>
        <translation>Kwa nini picha haina matokeo, au nini cha kuzingatia</translation>
    </message>
    <message>
        <source>Right-click to choose the columns shown</source>
        <translation>Bofya kulia kuchagua safu wima zinazoonyeshwa</translation>
    </message>
</context>
<context>
    <name>ScreeningWorker</name>
    <message>
        <source>The model could not be opened; see the Model &amp; runtime tab.</source>
        <translation>Modeli haikuweza kufunguliwa; angalia kichupo cha Modeli &amp; uendeshaji.</translation>
    </message>
    <message>
        <source>The safety checks could not be opened, so nothing was screened: {error}</source>
        <translation>Ukaguzi wa usalama haukuweza kufunguliwa, kwa hiyo hakuna kilichochunguzwa: {error}</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <source>Result</source>
        <translation>Matokeo</translation>
    </message>
    <message>
        <source>Model card</source>
        <translation>Kadi ya modeli</translation>
    </message>
    <message>
        <source>Model &amp;&amp; runtime</source>
        <translation>Modeli &amp;&amp; uendeshaji</translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <source>Cancel</source>
        <extracomment>How long a transient message stays (ms); 0 keeps it until the next one. The lights&apos; colours: grey off, green on, red failed.</extracomment>
        <translation>Ghairi</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Imehifadhiwa: {path}</translation>
    </message>
    <message>
        <source>Computing heatmap…</source>
        <translation>Inakokotoa ramani ya joto…</translation>
    </message>
    <message>
        <source>Models (automatic by population): {names}</source>
        <translation>Modeli (kiotomatiki kwa kundi): {names}</translation>
    </message>
    <message>
        <source>Model: {names}</source>
        <translation>Modeli: {names}</translation>
    </message>
    <message>
        <source>{models} · opening…</source>
        <translation>{models} · inafunguliwa…</translation>
    </message>
    <message>
        <source>{models} · {runtime}</source>
        <translation>{models} · {runtime}</translation>
    </message>
    <message>
        <source> · GPU unavailable, running on CPU</source>
        <translation> · GPU haipatikani, inaendeshwa kwenye CPU</translation>
    </message>
    <message>
        <source>Received films are kept in {folder}</source>
        <translation>Picha zilizopokelewa zinahifadhiwa katika {folder}</translation>
    </message>
    <message>
        <source>Receiving stopped: {reason}</source>
        <translation>Upokeaji umesimama: {reason}</translation>
    </message>
    <message>
        <source>Watching stopped: {reason}</source>
        <translation>Ufuatiliaji umesimama: {reason}</translation>
    </message>
    <message>
        <source>Not receiving</source>
        <translation>Haipokei</translation>
    </message>
    <message>
        <source>Not watching a folder</source>
        <translation type="vanished">Haifuatilii folda</translation>
    </message>
    <message>
        <source>Receiving on {address}</source>
        <translation>Inapokea kwenye {address}</translation>
    </message>
    <message>
        <source>Watching {folder}</source>
        <translation>Inafuatilia {folder}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Inaghairi…</translation>
    </message>
    <message>
        <source>Writing DICOM results…</source>
        <translation>Inaandika matokeo ya DICOM…</translation>
    </message>
    <message>
        <source>Looking for images…</source>
        <translation>Inatafuta picha…</translation>
    </message>
    <message>
        <source>{writing} {count}</source>
        <translation>{writing} {count}</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Inaandika ripoti…</translation>
    </message>
    <message>
        <source>Not watching</source>
        <translation>Haifuatilii</translation>
    </message>
    <message>
        <source>{done} / {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>Writing the report… {count}</source>
        <translation type="vanished">Inaandika ripoti… {count}</translation>
    </message>
    <message>
        <source>{count} · less than a minute left</source>
        <translation>{count} · imebaki chini ya dakika moja</translation>
    </message>
    <message>
        <source>{count} · about {minutes} min left</source>
        <translation>{count} · zimebaki takriban dakika {minutes}</translation>
    </message>
    <message>
        <source>{verb}: {done} of {total} file(s) · {flagged} need review ({not_validated} not validated) · {errors} error(s), {rejected} rejected · {resumed} resumed from earlier</source>
        <translation>{verb}: faili {done} kati ya {total} · {flagged} zinahitaji ukaguzi ({not_validated} hazijathibitishwa) · hitilafu {errors}, {rejected} zimekataliwa · {resumed} zimeendelezwa kutoka awali</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Imeghairiwa</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Imekamilika</translation>
    </message>
    <message>
        <source>No image files found there.</source>
        <translation>Hakuna faili za picha zilizopatikana hapo.</translation>
    </message>
    <message>
        <source>Screening stopped</source>
        <translation>Uchunguzi umesimama</translation>
    </message>
    <message>
        <source>Model could not be opened</source>
        <translation>Modeli haikuweza kufunguliwa</translation>
    </message>
</context>
<context>
    <name>ViewerPanel</name>
    <message>
        <source>Select a row to view the film.</source>
        <extracomment>Overlays are rendered at most this large and scaled up by the view (they are smooth anyway).</extracomment>
        <translation>Chagua safu ili kuona picha.</translation>
    </message>
    <message>
        <source>Level (window center)</source>
        <translation>Kiwango (katikati ya dirisha)</translation>
    </message>
    <message>
        <source>Window width</source>
        <translation>Upana wa dirisha</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>Ramani ya joto</translation>
    </message>
    <message>
        <source>Occlusion sensitivity: warm areas are where hiding the film lowers the abnormal probability most.</source>
        <translation>Unyeti wa kuziba: maeneo yenye joto ndipo kuficha picha kunapunguza zaidi uwezekano wa hali isiyo ya kawaida.</translation>
    </message>
    <message>
        <source>Reset window</source>
        <translation>Rejesha dirisha</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Tosheleza</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Kiwango</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Upana</translation>
    </message>
    <message>
        <source>Wheel: zoom · drag: pan · right-drag: window/level · double-click: fit</source>
        <translation>Gurudumu: kuza · buruta: sogeza · buruta kwa kitufe cha kulia: dirisha/kiwango · bofya mara mbili: tosheleza</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;File</source>
        <extracomment>Qt&apos;s translate under a short name that pyside6-lupdate still reads (it needs the context literally).</extracomment>
        <translation>&amp;Faili</translation>
    </message>
    <message>
        <source>Open &amp;files…</source>
        <translation>Fungua &amp;faili…</translation>
    </message>
    <message>
        <source>Open f&amp;older…</source>
        <translation>Fungua f&amp;olda…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Hamisha &amp;CSV…</translation>
    </message>
    <message>
        <source>Export &amp;PDF report…</source>
        <translation>Hamisha ripoti ya &amp;PDF…</translation>
    </message>
    <message>
        <source>Include patient fields in exports</source>
        <translation>Jumuisha taarifa za mgonjwa katika uhamishaji</translation>
    </message>
    <message>
        <source>Patient name, ID, birth date… from DICOM files: identifying data</source>
        <translation>Jina, kitambulisho, tarehe ya kuzaliwa ya mgonjwa… kutoka faili za DICOM: taarifa zinazomtambulisha</translation>
    </message>
    <message>
        <source>C&amp;lear results</source>
        <translation>F&amp;uta matokeo</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Ondoka</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Mwonekano</translation>
    </message>
    <message>
        <source>Show the heatmap of films that need review</source>
        <translation>Onyesha ramani ya joto ya picha zinazohitaji ukaguzi</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Safu wima</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Msaada</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;Kuhusu</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Kuu</translation>
    </message>
    <message>
        <source>Export &amp;DICOM results…</source>
        <translation>Hamisha matokeo ya &amp;DICOM…</translation>
    </message>
    <message>
        <source>A structured report and a heatmap image per scored DICOM film, for the PACS</source>
        <translation>Ripoti iliyopangwa na picha ya ramani ya joto kwa kila picha ya DICOM iliyopimwa, kwa ajili ya PACS</translation>
    </message>
    <message>
        <source>&amp;Clinic</source>
        <translation>&amp;Kliniki</translation>
    </message>
    <message>
        <source>&amp;Receive from X-ray unit…</source>
        <translation>&amp;Pokea kutoka kwa mashine ya X-ray…</translation>
    </message>
    <message>
        <source>&amp;Watch a folder…</source>
        <translation>F&amp;uatilia folda…</translation>
    </message>
    <message>
        <source>Screen each film that appears in a folder, once it is completely written</source>
        <translation>Chunguza kila picha inayoonekana kwenye folda, ikishaandikwa kikamilifu</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>Open chest X-ray images</source>
        <extracomment>Qt&apos;s translate under a short name that pyside6-lupdate still reads (it needs the context literally).</extracomment>
        <translation>Fungua picha za X-ray za kifua</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;All files (*)</source>
        <translation>Picha (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;Faili zote (*)</translation>
    </message>
    <message>
        <source>Open a folder of chest X-ray images</source>
        <translation>Fungua folda ya picha za X-ray za kifua</translation>
    </message>
    <message>
        <source>Watch a folder for new films</source>
        <translation>Fuatilia folda kwa picha mpya</translation>
    </message>
    <message>
        <source>Log file</source>
        <translation>Faili la kumbukumbu</translation>
    </message>
    <message>
        <source>Runtime log</source>
        <translation>Kumbukumbu za injini ya uendeshaji</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Matokeo</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Folda ya data</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;CXR Screening&lt;/b&gt; flags chest X-rays that need a clinician&apos;s review. It works offline; images never leave this computer.&lt;/p&gt;&lt;p&gt;A result supports and does not replace a clinician&apos;s reading.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;CXR Screening&lt;/b&gt; huweka alama kwenye picha za X-ray za kifua zinazohitaji ukaguzi wa daktari. Inafanya kazi bila mtandao; picha haziondoki kamwe kwenye kompyuta hii.&lt;/p&gt;&lt;p&gt;Matokeo ni msaada kwa daktari; hayachukui nafasi ya usomaji wake.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About CXR Screening</source>
        <translation>Kuhusu CXR Screening</translation>
    </message>
    <message>
        <source>Export DICOM results</source>
        <translation>Hamisha matokeo ya DICOM</translation>
    </message>
    <message>
        <source>There are no DICOM films to export: none of these results is a scored DICOM film. JPEG and PNG films have CSV and PDF results only.</source>
        <translation>Hakuna picha za DICOM za kuhamisha: hakuna kati ya matokeo haya iliyo picha ya DICOM iliyopimwa. Picha za JPEG na PNG zina matokeo ya CSV na PDF tu.</translation>
    </message>
    <message>
        <source>Choose a folder outside {folders}: films are taken from there, and the heatmap images would be screened as films.</source>
        <translation>Chagua folda nje ya {folders}: picha huchukuliwa kutoka hapo, na picha za ramani ya joto zingechunguzwa kama picha za X-ray.</translation>
    </message>
</context>
<context>
    <name>languages</name>
    <message>
        <source>&amp;Language</source>
        <extracomment>One of `desktop.i18n.LANGUAGES`, or &quot;&quot; (`desktop.i18n.SYSTEM`) for the system&apos;s language.</extracomment>
        <translation>&amp;Lugha</translation>
    </message>
    <message>
        <source>Takes effect when the app is next started</source>
        <translation>Itaanza kutumika programu itakapofunguliwa tena</translation>
    </message>
    <message>
        <source>System language ({language})</source>
        <translation>Lugha ya mfumo ({language})</translation>
    </message>
</context>
<context>
    <name>pdf_report</name>
    <message>
        <source>Chest X-ray screening report</source>
        <translation>Ripoti ya uchunguzi wa picha za X-ray za kifua</translation>
    </message>
    <message>
        <source>This result supports and does not replace a clinician&apos;s reading.</source>
        <translation>Matokeo haya ni msaada kwa daktari; hayachukui nafasi ya usomaji wake.</translation>
    </message>
    <message>
        <source>page {number} of {total}</source>
        <translation>ukurasa {number} kati ya {total}</translation>
    </message>
    <message>
        <source>automatic by population</source>
        <translation>kiotomatiki kwa kundi</translation>
    </message>
    <message>
        <source>one model for every film</source>
        <translation>modeli moja kwa picha zote</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Tarehe</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Faili</translation>
    </message>
    <message>
        <source>Screened (ok)</source>
        <translation>Zilizochunguzwa (sawa)</translation>
    </message>
    <message>
        <source>Not validated</source>
        <translation>Haijathibitishwa</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Imekataliwa</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Hitilafu</translation>
    </message>
    <message>
        <source>Flagged: needs review</source>
        <translation>Zenye alama: zinahitaji ukaguzi</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modeli</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Injini ya uendeshaji</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modeli</translation>
    </message>
    <message>
        <source>Build file SHA-256</source>
        <translation>SHA-256 ya toleo</translation>
    </message>
    <message>
        <source>Operating thresholds</source>
        <translation>Vizingiti vya uamuzi</translation>
    </message>
    <message>
        <source>Film</source>
        <translation>Picha</translation>
    </message>
    <message>
        <source>Prediction: {label}  ({confidence})</source>
        <translation>Utabiri: {label}  ({confidence})</translation>
    </message>
    <message>
        <source>Model output, not validated for this film: {label}  ({confidence})</source>
        <translation>Jibu la modeli, lisilothibitishwa kwa picha hii: {label}  ({confidence})</translation>
    </message>
    <message>
        <source>NEEDS REVIEW (flagged at the model&apos;s operating threshold)</source>
        <translation>INAHITAJI UKAGUZI (imewekwa alama kwenye kizingiti cha uamuzi cha modeli)</translation>
    </message>
    <message>
        <source>NEEDS REVIEW</source>
        <translation>INAHITAJI UKAGUZI</translation>
    </message>
    <message>
        <source>Not flagged</source>
        <translation>Haijawekwa alama</translation>
    </message>
    <message>
        <source>Scored by: {model}</source>
        <translation>Imepimwa na: {model}</translation>
    </message>
    <message>
        <source>Image quality: {score} of 100</source>
        <translation>Ubora wa picha: {score} kati ya 100</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>Tahadhari: {text}</translation>
    </message>
    <message>
        <source>Status: rejected</source>
        <translation>Hali: imekataliwa</translation>
    </message>
    <message>
        <source>Status: error</source>
        <translation>Hali: hitilafu</translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="vanished">Hitilafu</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>Sababu: {reason}</translation>
    </message>
    <message>
        <source>Patient / study (included at the user&apos;s request)</source>
        <translation>Mgonjwa / uchunguzi (imejumuishwa kwa ombi la mtumiaji)</translation>
    </message>
</context>
<context>
    <name>reasons</name>
    <message>
        <source>The file is a link that points to nothing.</source>
        <extracomment>Why a file has no result, by its reason code: `cxrcore.image.DecodeError` reasons, the scan&apos;s (``missing``, ``unreadable-folder``), the DICOM receiver&apos;s and the pipeline&apos;s own.</extracomment>
        <translation>Faili hili ni kiungo kisichoelekeza popote.</translation>
    </message>
    <message>
        <source>The file cannot be opened: it may have been moved or deleted, or you may not have permission to read it.</source>
        <translation>Faili haliwezi kufunguliwa: huenda limehamishwa au kufutwa, au huna ruhusa ya kulisoma.</translation>
    </message>
    <message>
        <source>This is not an image file (a folder or a special file).</source>
        <translation>Hili si faili la picha (ni folda au faili maalum).</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Faili hili ni tupu.</translation>
    </message>
    <message>
        <source>The image is far too large to be a chest film.</source>
        <translation>Picha hii ni kubwa mno kuweza kuwa picha ya kifua.</translation>
    </message>
    <message>
        <source>The image is too small to be a chest film.</source>
        <translation>Picha hii ni ndogo mno kuweza kuwa picha ya kifua.</translation>
    </message>
    <message>
        <source>The file holds several images; give one film per file.</source>
        <translation>Faili hili lina picha kadhaa; weka picha moja tu kwa kila faili.</translation>
    </message>
    <message>
        <source>The file is not an image this program can read.</source>
        <translation>Faili hili si picha ambayo programu hii inaweza kusoma.</translation>
    </message>
    <message>
        <source>The file is damaged or incomplete.</source>
        <translation>Faili hili limeharibika au halijakamilika.</translation>
    </message>
    <message>
        <source>This installation cannot read DICOM files.</source>
        <translation>Usakinishaji huu hauwezi kusoma faili za DICOM.</translation>
    </message>
    <message>
        <source>The DICOM file holds no image.</source>
        <translation>Faili la DICOM halina picha yoyote.</translation>
    </message>
    <message>
        <source>The DICOM image is compressed in a format this installation cannot read.</source>
        <translation>Picha ya DICOM imebanwa kwa muundo ambao usakinishaji huu hauwezi kusoma.</translation>
    </message>
    <message>
        <source>The DICOM image is not a single gray film.</source>
        <translation>Picha ya DICOM si picha moja ya rangi ya kijivu.</translation>
    </message>
    <message>
        <source>The DICOM object received holds no film.</source>
        <translation>Kitu cha DICOM kilichopokelewa hakina picha yoyote.</translation>
    </message>
    <message>
        <source>The file or folder does not exist.</source>
        <translation>Faili au folda haipo.</translation>
    </message>
    <message>
        <source>The folder cannot be read.</source>
        <translation>Folda haiwezi kusomwa.</translation>
    </message>
    <message>
        <source>There was not enough memory to open this file.</source>
        <translation>Hapakuwa na kumbukumbu ya kutosha kufungua faili hili.</translation>
    </message>
    <message>
        <source>The file could not be opened.</source>
        <translation>Faili hili halikuweza kufunguliwa.</translation>
    </message>
    <message>
        <source>The model could not run on this film.</source>
        <translation>Modeli haikuweza kuendeshwa kwenye picha hii.</translation>
    </message>
    <message>
        <source>This does not look like a frontal chest film.</source>
        <translation>Hii haionekani kama picha ya kifua ya mbele.</translation>
    </message>
    <message>
        <source>The picture is far wider or taller than a chest film.</source>
        <extracomment>The gate&apos;s cheap and structural checks, by how their English reason starts (`cxrcore.safety.gate`).</extracomment>
        <translation>Picha hii ni pana mno au ndefu mno kuliko picha ya kifua.</translation>
    </message>
    <message>
        <source>This looks like a colour photograph, not an X-ray film.</source>
        <translation>Hii inaonekana kama picha ya rangi iliyopigwa kwa kamera, si picha ya X-ray.</translation>
    </message>
    <message>
        <source>The picture is almost blank.</source>
        <translation>Picha hii karibu ni tupu.</translation>
    </message>
    <message>
        <source>This looks like a drawing, a printed page or a graphic, not an X-ray film.</source>
        <translation>Hii inaonekana kama mchoro, ukurasa uliochapishwa au grafiki, si picha ya X-ray.</translation>
    </message>
    <message>
        <source>This looks like a document or a screenshot, not an X-ray film.</source>
        <translation>Hii inaonekana kama hati au picha ya skrini, si picha ya X-ray.</translation>
    </message>
    <message>
        <source>The two lung fields of a frontal chest film are not seen side by side. Is it a side view or another part of the body?</source>
        <translation>Mapafu mawili ya picha ya kifua ya mbele hayaonekani kando kwa kando. Je, ni picha ya upande au ya sehemu nyingine ya mwili?</translation>
    </message>
    <message>
        <source>This does not look like a frontal chest film. Is it an upright, front-view chest film?</source>
        <extracomment>The gate&apos;s models, by kind (their English reasons are `cxrcore.safety.gate.MODEL_REASONS`).</extracomment>
        <translation>Hii haionekani kama picha ya kifua ya mbele. Je, ni picha ya kifua ya mbele, mgonjwa akiwa amesimama?</translation>
    </message>
    <message>
        <source>This is unlike the chest films the program knows. Is it an upright, front-view chest film?</source>
        <translation>Hii haifanani na picha za kifua ambazo programu inazijua. Je, ni picha ya kifua ya mbele, mgonjwa akiwa amesimama?</translation>
    </message>
    <message>
        <source>The film does not look like the patients this model was validated on.</source>
        <extracomment>Why the model that scored the film was not validated for it (one model asked for by name).</extracomment>
        <translation>Picha hii haifanani na wagonjwa ambao modeli hii ilithibitishwa kwao.</translation>
    </message>
    <message>
        <source>The patient&apos;s stated age is outside the ages this model was validated for.</source>
        <translation>Umri wa mgonjwa ulioandikwa uko nje ya umri ambao modeli hii ilithibitishwa kwao.</translation>
    </message>
    <message>
        <source>This model states no population it was validated for.</source>
        <translation>Modeli hii haielezi kundi lolote ambalo ilithibitishwa kwalo.</translation>
    </message>
    <message>
        <source>The film does not look like the patients any installed model was validated on, so it was not scored.</source>
        <extracomment>Why no installed model scored the film (automatic routing found none validated for it).</extracomment>
        <translation>Picha hii haifanani na wagonjwa ambao modeli yoyote iliyosakinishwa ilithibitishwa kwao, kwa hiyo haikupimwa.</translation>
    </message>
    <message>
        <source>No installed model was validated for the patient&apos;s stated age, so the film was not scored.</source>
        <translation>Hakuna modeli iliyosakinishwa iliyothibitishwa kwa umri wa mgonjwa ulioandikwa, kwa hiyo picha haikupimwa.</translation>
    </message>
    <message>
        <source>No installed model states the population it was validated for, so the film was not scored.</source>
        <translation>Hakuna modeli iliyosakinishwa inayoeleza kundi ambalo ilithibitishwa kwalo, kwa hiyo picha haikupimwa.</translation>
    </message>
    <message>
        <source>Image quality is poor: the film may be blurred, noisy, heavily compressed or badly exposed. The result is less reliable; retake or rescan the film if you can.</source>
        <extracomment>Quality warnings (`cxrcore.safety.quality.QualityCheck.warn`), by how they start.</extracomment>
        <translation>Ubora wa picha ni duni: picha inaweza kuwa na ukungu, chembechembe, kubanwa sana au kuwa na mwanga usiofaa. Matokeo hayaaminiki sana; piga picha upya au iskani tena ukiweza.</translation>
    </message>
    <message>
        <source>Details: {details}</source>
        <translation>Maelezo: {details}</translation>
    </message>
</context>
<context>
    <name>safety</name>
    <message>
        <source>Not validated for this film — read it yourself</source>
        <translation>Haijathibitishwa kwa picha hii — isome wewe mwenyewe</translation>
    </message>
</context>
</TS>
